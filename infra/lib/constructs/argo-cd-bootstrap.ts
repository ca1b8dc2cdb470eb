/**
 * Argo CD, installed once by CloudFormation through the cluster's kubectl provider (Helm), and the root
 * "app-of-apps" Application that syncs `deploy/rendered/<env>/` from Git (ADR 0023). Everything else in the cluster,
 * Argo CD's own later upgrades included, comes from Git through that Application.
 */
import type { BootstrapProject, ResolvedEnvironment, RootApplication } from '@innovate/config';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/** The Argo CD Helm chart, pinned. Upgrades after bootstrap are Git changes under deploy/, not CDK changes. */
export const ARGO_CD_CHART = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '9.4.0',
} as const;

/**
 * Argo CD has assessed no health for Application resources since 1.8, so the sync waves of the root's child
 * Applications (CRDs → controllers → policies → workloads, deploy/src/charts/gitops.ts) would not wait for the
 * previous wave to be Healthy. This health check, from Argo CD's app-of-apps sync-wave documentation, restores it:
 * an Application is as healthy as it reports itself, and Progressing until it reports anything.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** The argocd-cm key Argo CD reads a health check for `argoproj.io/Application` from. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

export interface ArgoCdBootstrapProps {
  cluster: eks.ICluster;
  /** Namespace Argo CD runs in (config `names.argocdNamespace`). */
  namespace: string;
  /** Label and taint of the managed system node group (config `names.systemNodes`). */
  systemNodes: ResolvedEnvironment['names']['systemNodes'];
  /**
   * The root Application and its `bootstrap` AppProject (@innovate/config `argocdBootstrap`): the render carries the
   * same two objects, so Argo CD's first sync of the root does not rewrite it.
   */
  bootstrap: { project: BootstrapProject; root: RootApplication };
}

export class ArgoCdBootstrap extends Construct {
  readonly rootApplication: RootApplication;

  constructor(scope: Construct, id: string, props: ArgoCdBootstrapProps) {
    super(scope, id);
    const { label, taint } = props.systemNodes;
    const onSystemNodes = {
      nodeSelector: { [label.key]: label.value },
      tolerations: [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }],
    };
    const chart = props.cluster.addHelmChart('ArgoCd', {
      ...ARGO_CD_CHART,
      release: 'argo-cd',
      namespace: props.namespace,
      createNamespace: true,
      wait: true,
      values: {
        global: onSystemNodes,
        // Sign-in goes through the Argo CD CLI/UI over port-forward or an internal ingress added from Git; no Dex.
        dex: { enabled: false },
        server: { service: { type: 'ClusterIP' } },
        configs: {
          params: { 'application.namespaces': props.namespace },
          cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
        },
      },
    });

    // The project first: the root belongs to it. Both are then managed by the root itself, from Git.
    this.rootApplication = props.bootstrap.root;
    const root = props.cluster.addManifest('RootApplication', props.bootstrap.project, props.bootstrap.root);
    root.node.addDependency(chart);
  }
}
