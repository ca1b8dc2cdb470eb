/**
 * Cluster-wide objects the workloads depend on (Argo CD Application `platform`): the ClusterSecretStore that
 * External Secrets reads Secrets Manager through.
 */
import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { Construct } from 'constructs';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';

export const CLUSTER_SECRET_STORE = 'aws-secrets-manager';

export class PlatformChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'platform', 'platform/secret-store.yaml');
    const { names } = ctx.env;
    // The controller's Pod Identity role can read only `names.secretsPathPrefix`; `conditions` further limits
    // which namespaces may use the store at all.
    this.add<IClusterSecretStore>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: CLUSTER_SECRET_STORE, labels: commonLabels(ctx, 'external-secrets') },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: ctx.env.region } },
        conditions: [
          {
            namespaces: [names.apiNamespace, names.podIdentityServiceAccounts.adotCollector.namespace],
          },
        ],
      },
    });
  }
}
