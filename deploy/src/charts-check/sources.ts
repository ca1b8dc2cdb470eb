/**
 * Where the source of each pinned add-on chart comes from (ADR 0070). No Helm repository is reachable from the build
 * machines, but the Go module proxy serves several of these projects' repositories at release tags, and `go mod
 * download` checks every module zip against the Go checksum database: the chart's values.yaml, values.schema.json
 * and templates are then the project's own files at that tag, not a copy someone pasted.
 *
 * `versionCheck` says how the gate proves the source is the chart we pin:
 * - `chart-yaml`: the chart's Chart.yaml `version` at that tag must equal the pinned chart version;
 * - `release-tag`: the project stamps the chart version into Chart.yaml only when it publishes the chart (the
 *   file at the tag still carries the previous number), so the module tag must be `v<pinned version>` and the
 *   Chart.yaml version is reported, not compared.
 * An add-on without a source is listed by the gate as not checked, with the reason; never skipped silently.
 */
import { ADDONS } from '../charts/addons.ts';

export interface ChartSource {
  module: string;
  /** Module version (a release tag the proxy serves). */
  version: string;
  /** Folder of the chart inside the module. */
  path: string;
  versionCheck: 'chart-yaml' | 'release-tag';
  /** Why this tag is the chart's source, when that is not obvious. */
  note?: string;
  /** Module folders holding CRDs the chart packages only when it is published (besides its own `crds/`). */
  crdFolders?: string[];
  /**
   * A free-form map the chart turns into environment variables the program reads: its keys must be names the
   * program's source declares (`file` relative to the module, `pattern` capturing a name, `prefix` added).
   */
  passThroughNames?: { values: string[]; file: string; pattern: RegExp; prefix: string };
  /** Where the program declares the Kubernetes minor versions it supports (checked against every environment). */
  kubernetesRange?: { file: string; min: RegExp; max: RegExp };
}

export type ChartSourceEntry = { source: ChartSource } | { notChecked: string };

export const CHART_SOURCES: Record<string, ChartSourceEntry> = {
  ratify: {
    source: {
      module: 'github.com/ratify-project/ratify',
      version: 'v1.4.6',
      path: 'charts/ratify',
      versionCheck: 'chart-yaml',
      // `featureFlags` is ranged over into RATIFY_* variables; Ratify knows only the flags featureflag.go declares.
      passThroughNames: {
        values: ['featureFlags'],
        file: 'pkg/featureflag/featureflag.go',
        pattern: /newFeatureFlag\("([A-Z_]+)"/g,
        prefix: 'RATIFY_',
      },
    },
  },
  'karpenter-crd': {
    source: {
      module: 'github.com/aws/karpenter-provider-aws',
      version: 'v1.14.1',
      path: 'charts/karpenter-crd',
      versionCheck: 'release-tag',
      note: 'Karpenter commits the chart version bump after tagging; the chart 1.14.1 is published from tag v1.14.1',
    },
  },
  karpenter: {
    source: {
      module: 'github.com/aws/karpenter-provider-aws',
      version: 'v1.14.1',
      path: 'charts/karpenter',
      versionCheck: 'release-tag',
      note: 'Karpenter commits the chart version bump after tagging; the chart 1.14.1 is published from tag v1.14.1',
      // Karpenter refuses to start on a cluster outside this range (validateK8sVersion).
      kubernetesRange: {
        file: 'pkg/providers/version/version.go',
        min: /MinK8sVersion\s*=\s*"(\d+\.\d+)"/,
        max: /MaxK8sVersion\s*=\s*"(\d+\.\d+)"/,
      },
    },
  },
  'external-dns': {
    source: {
      module: 'sigs.k8s.io/external-dns',
      version: 'v0.20.0',
      path: 'charts/external-dns',
      versionCheck: 'chart-yaml',
      note: 'the chart is released apart from the app: chart 1.19.0 is the chart at app tag v0.20.0 (its CHANGELOG lists one unreleased addition, annotationPrefix, which we do not set)',
    },
  },
  'external-secrets': {
    source: {
      module: 'github.com/external-secrets/external-secrets',
      version: 'v0.19.2',
      path: 'deploy/charts/external-secrets',
      versionCheck: 'release-tag',
      note: 'External Secrets bumps Chart.yaml after the release tag; chart 0.19.2 is published from tag v0.19.2',
      // The chart's templates/crds/ is filled from deploy/crds/ when the chart is packaged.
      crdFolders: ['deploy/crds'],
    },
  },
  gatekeeper: {
    notChecked:
      'the Go module proxy serves github.com/open-policy-agent/gatekeeper/v3 only at v3.17.0 and v3.23.1, not at the pinned 3.21.1',
  },
  'aws-load-balancer-controller': {
    notChecked:
      'the Go module proxy does not serve sigs.k8s.io/aws-load-balancer-controller at v2.14.1 (the chart lives in its helm/ folder)',
  },
  'argo-rollouts': {
    notChecked:
      'argo-helm tags releases as argo-rollouts-2.40.1, not a semantic version: the Go module proxy lists no version of it',
  },
  'adot-collector': {
    notChecked:
      'opentelemetry-helm-charts tags releases as opentelemetry-collector-0.122.6, not a semantic version: not on the Go module proxy',
  },
  'grafana-operator': {
    notChecked:
      'published as an OCI chart only (ghcr.io/grafana/helm-charts); its values are two standard keys (tolerations, resources)',
  },
  'fluent-bit': {
    notChecked:
      'fluent/helm-charts tags releases as fluent-bit-0.47.9, not a semantic version: not on the Go module proxy',
  },
};

/** Every add-on must have an entry: a new add-on without one fails the gate instead of going unchecked. */
export function sourcesProblems(): string[] {
  const names = new Set(ADDONS.map((addon) => addon.name));
  return [
    ...[...names].filter((name) => !(name in CHART_SOURCES)).map((name) => `${name}: no entry in CHART_SOURCES`),
    ...Object.keys(CHART_SOURCES)
      .filter((name) => !names.has(name))
      .map((name) => `CHART_SOURCES.${name}: no such add-on`),
  ];
}
