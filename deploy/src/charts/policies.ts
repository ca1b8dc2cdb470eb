/**
 * Gatekeeper policies (Argo CD Application `policies`, after the Gatekeeper controller): one ConstraintTemplate per
 * folder of deploy/policies/ (Rego v1; the same files `opa test` runs) and one constraint per template with the
 * environment's parameters. System and platform namespaces are exempted by name, in one list each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
import { ecrRegistry } from '../images.ts';
import { componentFile } from '../layout.ts';
import {
  CONSTRAINT_API_VERSION,
  CONSTRAINT_TEMPLATE_API_VERSION,
  GATEKEEPER_TARGET,
  type IConstraint,
  type IConstraintMatch,
  type IConstraintTemplate,
  type IParameterSchema,
} from '../models/gatekeeper.ts';
import { POLICIES_DIR } from '../policy/opa.ts';

/** Never checked: the control plane's own pods, and Gatekeeper itself (it must be able to start to enforce). */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system'];

/**
 * Exempt from the cluster-wide pod-security policies besides SYSTEM_NAMESPACES: the log shipper, which must read
 * container logs from the node (hostPath /var/log, as root). Add-on namespaces are otherwise checked; the image,
 * signature and hygiene policies apply to application namespaces only (ADR 0065).
 */
export function clusterPolicyExemptions(ctx: DeployContext): string[] {
  return [...SYSTEM_NAMESPACES, ctx.env.names.podIdentityServiceAccounts.fluentBit.namespace];
}

const WORKLOAD_KINDS: NonNullable<IConstraintMatch['kinds']> = [
  { apiGroups: [''], kinds: ['Pod'] },
  { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] },
  { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
  { apiGroups: ['argoproj.io'], kinds: ['Rollout'] },
];
/** Kinds whose pods serve until stopped (a Job's pod has no reason for a readiness probe). */
const LONG_RUNNING_KINDS: NonNullable<IConstraintMatch['kinds']> = [
  { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
  { apiGroups: ['argoproj.io'], kinds: ['Rollout'] },
];

const stringList: IParameterSchema = { type: 'array', items: { type: 'string' } };

interface PolicySpec {
  /** Folder under deploy/policies/ and the template's name. */
  name: string;
  kind: string;
  schema?: Record<string, IParameterSchema>;
  /** `app` = application namespaces only; `cluster` = everywhere except clusterPolicyExemptions. */
  scope: 'app' | 'cluster';
  kinds: NonNullable<IConstraintMatch['kinds']>;
  parameters?: (ctx: DeployContext) => Record<string, unknown>;
}

export const POLICIES: PolicySpec[] = [
  { name: 'k8snoroot', kind: 'K8sNoRoot', scope: 'cluster', kinds: WORKLOAD_KINDS },
  { name: 'k8snoprivileged', kind: 'K8sNoPrivileged', scope: 'cluster', kinds: WORKLOAD_KINDS },
  { name: 'k8snohostaccess', kind: 'K8sNoHostAccess', scope: 'cluster', kinds: WORKLOAD_KINDS },
  { name: 'k8sdropallcapabilities', kind: 'K8sDropAllCapabilities', scope: 'cluster', kinds: WORKLOAD_KINDS },
  { name: 'k8srequiredresources', kind: 'K8sRequiredResources', scope: 'app', kinds: WORKLOAD_KINDS },
  {
    name: 'k8srequiredprobes',
    kind: 'K8sRequiredProbes',
    scope: 'app',
    kinds: LONG_RUNNING_KINDS,
    schema: { probes: stringList },
    parameters: () => ({ probes: ['livenessProbe', 'readinessProbe'] }),
  },
  {
    name: 'k8srequiredlabels',
    kind: 'K8sRequiredLabels',
    scope: 'app',
    kinds: WORKLOAD_KINDS,
    schema: { labels: stringList },
    parameters: () => ({ labels: ['app', 'team', 'cost-center'] }),
  },
  {
    name: 'k8sallowedimages',
    kind: 'K8sAllowedImages',
    scope: 'app',
    kinds: WORKLOAD_KINDS,
    schema: { repositories: stringList },
    // The environment's own account and region: an image of another account's `innovate/api` is refused too.
    parameters: (ctx) => ({ repositories: [`${ecrRegistry(ctx.env)}/${ctx.env.tags.app}/`] }),
  },
  {
    name: 'k8sverifiedimages',
    kind: 'K8sVerifiedImages',
    scope: 'app',
    kinds: WORKLOAD_KINDS,
    schema: { provider: { type: 'string' } },
    parameters: () => ({ provider: RATIFY_PROVIDER }),
  },
];

/** Constraint kinds whose verdict needs a service at admission time (Ratify), not evaluable from files alone. */
export const NEEDS_ADMISSION_SERVICE = ['K8sVerifiedImages'];

/** Gatekeeper's external data provider that Ratify registers (ADR 0066). */
export const RATIFY_PROVIDER = 'ratify-provider';

export function regoSource(name: string): string {
  return readFileSync(join(POLICIES_DIR, name, 'src.rego'), 'utf8');
}

export class PoliciesChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'policies', componentFile(ctx, 'policies'));
    const labels = commonLabels(ctx, 'gatekeeper-policies');
    const lib = readFileSync(join(POLICIES_DIR, 'lib', 'workload.rego'), 'utf8');
    for (const policy of POLICIES) {
      this.add<IConstraintTemplate>({
        apiVersion: CONSTRAINT_TEMPLATE_API_VERSION,
        kind: 'ConstraintTemplate',
        metadata: { name: policy.name, labels, annotations: { 'argocd.argoproj.io/sync-wave': '0' } },
        spec: {
          crd: {
            spec: {
              names: { kind: policy.kind },
              validation: { openAPIV3Schema: { type: 'object', properties: policy.schema ?? {} } },
            },
          },
          targets: [
            {
              target: GATEKEEPER_TARGET,
              code: [{ engine: 'Rego', source: { version: 'v1', rego: regoSource(policy.name), libs: [lib] } }],
            },
          ],
        },
      });
    }
    const appNamespaces = [ctx.env.names.apiNamespace];
    for (const policy of POLICIES) {
      const match: IConstraintMatch =
        policy.scope === 'app'
          ? { kinds: policy.kinds, namespaces: appNamespaces }
          : { kinds: policy.kinds, excludedNamespaces: clusterPolicyExemptions(ctx) };
      this.add<IConstraint>({
        apiVersion: CONSTRAINT_API_VERSION,
        kind: policy.kind,
        metadata: {
          name: policy.name,
          labels,
          annotations: {
            // The constraint's CRD appears only once Gatekeeper has read the template (wave 0).
            'argocd.argoproj.io/sync-wave': '1',
            'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
          },
        },
        spec: {
          enforcementAction: 'deny',
          match,
          ...(policy.parameters ? { parameters: policy.parameters(ctx) } : {}),
        },
      });
    }
  }
}
