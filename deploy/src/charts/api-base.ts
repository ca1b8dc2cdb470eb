/**
 * What the API needs before its Rollout can start (Argo CD Application `api-base`, synced one wave before `api`):
 * the namespace (Pod Security `restricted`, enforced), its service account, the secrets External Secrets brings
 * from Secrets Manager (the database credentials: api-database-credentials.ts), and the namespace's
 * NetworkPolicies. It is separate from `api` so the migration Job, a PreSync hook of `api`, finds its database
 * settings on the very first sync.
 */
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { Construct } from 'constructs';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
import { componentFile } from '../layout.ts';
import { databaseExternalSecrets } from './api-database-credentials.ts';
import { API } from './api-workload.ts';
import { apiNetworkPolicies } from './network-policies.ts';
import { CLUSTER_SECRET_STORE } from './platform.ts';

/** Labels that make a namespace enforce Pod Security Standards `restricted` (requirement EKS-5). */
export function restrictedNamespaceLabels(ctx: DeployContext): Record<string, string> {
  const version = `v${ctx.env.cluster.kubernetesVersion}`;
  return {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': version,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': version,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': version,
  };
}

export class ApiBaseChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'api-base', componentFile(ctx, 'api-base'));
    const { names } = ctx.env;
    const namespace = names.apiNamespace;
    const labels = commonLabels(ctx, API.name);

    this.add<INamespace>({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...labels, ...restrictedNamespaceLabels(ctx) } },
    });

    // EKS Pod Identity binds the IAM role to this name (names.podIdentityServiceAccounts.api): no annotation.
    this.add<IServiceAccount>({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: names.apiServiceAccount, namespace, labels },
      automountServiceAccountToken: false,
    });

    // The database credentials: the application user's for the API, the master's for the migration (ADR 0103).
    for (const secret of databaseExternalSecrets(ctx, labels)) this.add<IExternalSecret>(secret);

    this.add<IExternalSecret>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: API.ampEndpointSecret, namespace, labels },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: CLUSTER_SECRET_STORE },
        target: { name: API.ampEndpointSecret, creationPolicy: 'Owner' },
        data: [{ secretKey: 'endpoint', remoteRef: { key: names.ampEndpointSecretName } }],
      },
    });

    // The token issuer and the SPA's client id the users stack publishes: the API verifies access tokens against
    // them (AUTH_ISSUER, AUTH_CLIENT_ID). Not secret, but kept in one place with the rest of the environment's
    // values, and refreshed like them.
    this.add<IExternalSecret>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: API.signInSecret, namespace, labels },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: API.parameterStore },
        target: { name: API.signInSecret, creationPolicy: 'Owner' },
        data: [
          { secretKey: 'AUTH_ISSUER', remoteRef: { key: names.authIssuerParameterName } },
          { secretKey: 'AUTH_CLIENT_ID', remoteRef: { key: names.authClientIdParameterName } },
        ],
      },
    });

    for (const policy of apiNetworkPolicies(ctx)) this.add(policy);
  }
}
