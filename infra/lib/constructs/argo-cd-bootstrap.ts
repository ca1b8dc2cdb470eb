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

/**
 * Where the UI is reached: `kubectl port-forward svc/argo-cd-argocd-server 8080:443` through the cluster's private
 * endpoint (no ingress, no public address), so the browser's origin, and the SAML callback, is this URL.
 */
export const ARGO_CD_PORT_FORWARD_URL = 'https://localhost:8080';
/**
 * The Kubernetes Secret (namespace argocd, label app.kubernetes.io/part-of=argocd) holding the Identity Center
 * SAML application's sign-in URL and certificate, which exist only once that application is created (a one-time
 * console step, docs/deployment.md). Argo CD resolves `$<secret>:<key>` in dex.config from it.
 */
export const IDENTITY_CENTER_SAML_SECRET = 'argocd-identity-center';

/**
 * Dex's SAML connector to IAM Identity Center (Identity Center has no OIDC for customer applications): users sign
 * in with their Identity Center account; the assertion's `groups` attribute carries their group ids.
 */
export function identityCenterDexConfig(): string {
  const callback = `${ARGO_CD_PORT_FORWARD_URL}/api/dex/callback`;
  return [
    'connectors:',
    '  - type: saml',
    '    id: identity-center',
    '    name: IAM Identity Center',
    '    config:',
    `      ssoURL: $${IDENTITY_CENTER_SAML_SECRET}:ssoURL`,
    `      caData: $${IDENTITY_CENTER_SAML_SECRET}:caData`,
    `      redirectURI: ${callback}`,
    `      entityIssuer: ${callback}`,
    '      usernameAttr: email',
    '      emailAttr: email',
    '      groupsAttr: groups',
    '',
  ].join('\n');
}

/** RBAC from Identity Center groups: admins administer, devops read; anyone else signed in gets nothing. */
export function argoCdRbac(groups: ArgoCdBootstrapProps['ssoGroups']): Record<string, string> {
  return {
    'policy.default': '',
    'policy.csv': [`g, ${groups.admin}, role:admin`, `g, ${groups.readOnly}, role:readonly`, ''].join('\n'),
    scopes: '[groups]',
  };
}

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
  /** Identity Center group ids: `admin` gets role:admin, `readOnly` role:readonly (config identityCenter.groups). */
  ssoGroups: { admin: string; readOnly: string };
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
        // People sign in through Identity Center (Dex, SAML) on the UI reached by port-forward; no ingress.
        dex: { enabled: true },
        server: { service: { type: 'ClusterIP' } },
        // The notifications controller runs; its ConfigMap (triggers, templates, the GitHub webhook) and its Secret
        // (External Secrets, from Secrets Manager) come from Git (deploy/src/charts/argocd-notifications.ts), so the
        // release must not create either: two owners would overwrite each other at every upgrade.
        notifications: { enabled: true, cm: { create: false }, secret: { create: false } },
        configs: {
          params: { 'application.namespaces': props.namespace },
          cm: {
            [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA,
            url: ARGO_CD_PORT_FORWARD_URL,
            'dex.config': identityCenterDexConfig(),
          },
          rbac: argoCdRbac(props.ssoGroups),
        },
      },
    });

    // The project first: the root belongs to it. Both are then managed by the root itself, from Git.
    this.rootApplication = props.bootstrap.root;
    const root = props.cluster.addManifest('RootApplication', props.bootstrap.project, props.bootstrap.root);
    root.node.addDependency(chart);
  }
}
