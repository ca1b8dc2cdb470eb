/**
 * Gatekeeper policies (Argo CD Application `policies`, after the Gatekeeper controller): one ConstraintTemplate per
 * folder of deploy/policies/ (Rego v1; the same files `opa test` runs) and one constraint per template with the
 * environment's parameters. System and platform namespaces are exempted by name, in one list each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import { ADDON_IMAGES } from '../addon-images.ts';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
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
import { POLICIES_DIR } from '../rego-folder.ts';
import { ownedAddonNamespaces } from './addon-network-policies.ts';
import { ADDONS } from './addons.ts';
import { SYSTEM_NAMESPACES } from './system-namespaces.ts';

/**
 * Every exemption from a policy that applies beyond the application namespaces, in one table (ADR 0065): the
 * namespace, the constraint kinds it is exempt from, and why. With `parameters`, the namespace is not exempt but
 * gets its own constraint of that kind with these parameters (a narrower opening, e.g. read-only host paths).
 */
export interface PolicyExemption {
  namespace: (ctx: DeployContext) => string;
  kinds: string[];
  reason: string;
  parameters?: Record<string, unknown>;
}

const ALL_CLUSTER_KINDS = ['K8sNoRoot', 'K8sNoPrivileged', 'K8sNoHostAccess', 'K8sDropAllCapabilities'];
const fluentBitNamespace = (ctx: DeployContext) => ctx.env.names.podIdentityServiceAccounts.fluentBit.namespace;

export const POLICY_EXEMPTIONS: PolicyExemption[] = [
  ...SYSTEM_NAMESPACES.map((namespace) => ({
    namespace: () => namespace,
    kinds: [...ALL_CLUSTER_KINDS, 'K8sAllowedImages'],
    reason:
      namespace === 'gatekeeper-system'
        ? 'Gatekeeper (and Ratify, its signature verifier) must start before anything can be enforced; the chart exempts its own namespace from its webhook'
        : 'the control plane and EKS managed add-ons (VPC CNI, CoreDNS, kube-proxy, Pod Identity agent, from EKS-published images by tag); the webhook skips it so a Gatekeeper outage cannot stop the cluster network from restarting',
  })),
  {
    namespace: (ctx) => ctx.env.names.argocdNamespace,
    kinds: ['K8sAllowedImages'],
    reason:
      "Argo CD is installed by the CDK side's Helm release (ADR 0023) with that chart's image tags; the render only puts Applications there",
  },
  {
    namespace: fluentBitNamespace,
    kinds: ['K8sNoRoot'],
    reason:
      "Fluent Bit reads the containers' log files under /var/log/pods, which are root-owned and not world-readable",
  },
  {
    namespace: fluentBitNamespace,
    kinds: ['K8sNoHostAccess'],
    reason:
      "Fluent Bit tails the node's logs: hostPath /var/log only, mounted read-only (no host network, PID, IPC or port)",
    parameters: { readOnlyHostPaths: ['/var/log'] },
  },
];

/** Namespaces wholly exempt from one constraint kind (the rows of POLICY_EXEMPTIONS without parameters). */
export function exemptNamespaces(ctx: DeployContext, kind: string): string[] {
  return POLICY_EXEMPTIONS.filter((row) => row.kinds.includes(kind)).map((row) => row.namespace(ctx));
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
  /**
   * `app` = application namespaces only; `cluster` = everywhere except its POLICY_EXEMPTIONS; `namespace` = one
   * constraint per rendered namespace, with that namespace's parameters.
   */
  scope: 'app' | 'cluster' | 'namespace';
  kinds: NonNullable<IConstraintMatch['kinds']>;
  parameters?: (ctx: DeployContext) => Record<string, unknown>;
  /** For scope `namespace`: the parameters of one namespace. */
  namespaceParameters?: (ctx: DeployContext, namespace: string) => Record<string, unknown>;
}

export const POLICIES: PolicySpec[] = [
  { name: 'k8snoroot', kind: 'K8sNoRoot', scope: 'cluster', kinds: WORKLOAD_KINDS },
  { name: 'k8snoprivileged', kind: 'K8sNoPrivileged', scope: 'cluster', kinds: WORKLOAD_KINDS },
  {
    name: 'k8snohostaccess',
    kind: 'K8sNoHostAccess',
    scope: 'cluster',
    kinds: WORKLOAD_KINDS,
    schema: { readOnlyHostPaths: stringList },
  },
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
    scope: 'namespace',
    kinds: WORKLOAD_KINDS,
    schema: { repositories: stringList },
    namespaceParameters: (ctx, namespace) => ({ repositories: allowedRepositories(ctx, namespace) }),
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

/**
 * The image repositories one namespace admits, derived from what the render runs there: in the API's namespace
 * the environment's own API repository (its account and region: another account's `innovate/api` is refused);
 * in an add-on's namespace the repositories of the images its charts are pinned to (src/addon-images.ts).
 */
export function allowedRepositories(ctx: DeployContext, namespace: string): string[] {
  const repositories = ADDON_IMAGES.filter(
    (image) => ADDONS.find((addon) => addon.name === image.addon)?.namespace(ctx) === namespace,
  ).map((image) => image.repository);
  if (namespace === ctx.env.names.apiNamespace)
    repositories.push(`${ctx.apiImage.registry}/${ctx.apiImage.repository}`);
  return [...new Set(repositories)].sort();
}

/** Namespaces the render runs pods in (the API's and every add-on's), less those exempt from the image policy. */
export function imagePolicyNamespaces(ctx: DeployContext): string[] {
  const exempt = exemptNamespaces(ctx, 'K8sAllowedImages');
  const all = [
    ctx.env.names.apiNamespace,
    ...ADDONS.map((addon) => addon.namespace(ctx)),
    ...ownedAddonNamespaces(ctx),
  ];
  return [...new Set(all)].filter((namespace) => !exempt.includes(namespace)).sort();
}

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
    const constraint = (
      name: string,
      policy: PolicySpec,
      match: IConstraintMatch,
      parameters?: Record<string, unknown>,
    ) =>
      this.add<IConstraint>({
        apiVersion: CONSTRAINT_API_VERSION,
        kind: policy.kind,
        metadata: {
          name,
          labels,
          annotations: {
            // The constraint's CRD appears only once Gatekeeper has read the template (wave 0).
            'argocd.argoproj.io/sync-wave': '1',
            'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
          },
        },
        spec: { enforcementAction: 'deny', match, ...(parameters ? { parameters } : {}) },
      });
    for (const policy of POLICIES) {
      if (policy.scope === 'app') {
        constraint(policy.name, policy, { kinds: policy.kinds, namespaces: appNamespaces }, policy.parameters?.(ctx));
      } else if (policy.scope === 'cluster') {
        const match = { kinds: policy.kinds, excludedNamespaces: exemptNamespaces(ctx, policy.kind) };
        constraint(policy.name, policy, match, policy.parameters?.(ctx));
        // A narrowed exemption: the namespace's own constraint of this kind, with its wider parameters.
        for (const row of POLICY_EXEMPTIONS.filter((r) => r.parameters && r.kinds.includes(policy.kind))) {
          const namespace = row.namespace(ctx);
          constraint(
            `${policy.name}-${namespace}`,
            policy,
            { kinds: policy.kinds, namespaces: [namespace] },
            row.parameters,
          );
        }
      } else {
        for (const namespace of imagePolicyNamespaces(ctx)) {
          const match = { kinds: policy.kinds, namespaces: [namespace] };
          constraint(`${policy.name}-${namespace}`, policy, match, policy.namespaceParameters?.(ctx, namespace));
        }
      }
    }
  }
}
