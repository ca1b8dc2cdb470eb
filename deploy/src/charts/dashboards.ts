/**
 * Dashboards as code in Amazon Managed Grafana (synced with the `platform` Application): the Grafana Operator
 * (an add-on, addons.ts) provisions the generated dashboards (deploy/src/dashboards/) and their two data sources
 * into the environment's AMG workspace over Grafana's HTTP API, with a workspace service account token External
 * Secrets brings from Secrets Manager. AMG cannot be given files or a sidecar; its HTTP API is how it is managed.
 *
 * The workspace's URL is named by AWS after its id, so it comes from config (`observability.grafanaWorkspaceUrl`),
 * set after the first deploy; until then no `Grafana` object is rendered and the dashboards wait for one.
 */
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { Construct } from 'constructs';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
import { buildDashboards } from '../dashboards/dashboards.ts';
import { DATASOURCES } from '../dashboards/panels.ts';
import { componentFile } from '../layout.ts';
import {
  GRAFANA_OPERATOR_API_VERSION,
  type IGrafana,
  type IGrafanaDashboard,
  type IGrafanaDatasource,
} from '../models/grafana-operator.ts';
import { AMP_ENDPOINT_SECRET } from './observability.ts';
import { CLUSTER_SECRET_STORE } from './platform.ts';

/** The label the Grafana object carries and every dashboard and data source selects. */
export const GRAFANA_INSTANCE_LABEL = { 'innovate.example.com/grafana': 'amg' } as const;
export const GRAFANA_TOKEN_SECRET = 'grafana-operator-token';
/** Grafana folder of the generated dashboards. */
export const DASHBOARD_FOLDER = 'Innovate (generated)';

export class DashboardsChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'dashboards', componentFile(ctx, 'platform'));
    const { names, observability, region } = ctx.env;
    const namespace = names.podIdentityServiceAccounts.adotCollector.namespace;
    const labels = commonLabels(ctx, 'dashboards');
    const metadata = (name: string) => ({ name, namespace, labels });
    const instanceSelector = { matchLabels: { ...GRAFANA_INSTANCE_LABEL } };

    this.add<IExternalSecret>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: metadata(GRAFANA_TOKEN_SECRET),
      spec: {
        // AMG tokens expire (30 days at most): a new one put into Secrets Manager arrives within the hour.
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: CLUSTER_SECRET_STORE },
        target: { name: GRAFANA_TOKEN_SECRET, creationPolicy: 'Owner' },
        data: [{ secretKey: 'token', remoteRef: { key: names.grafanaOperatorTokenSecretName, property: 'token' } }],
      },
    });

    if (observability.grafanaWorkspaceUrl !== null) {
      this.add<IGrafana>({
        apiVersion: GRAFANA_OPERATOR_API_VERSION,
        kind: 'Grafana',
        metadata: { ...metadata('amg'), labels: { ...labels, ...GRAFANA_INSTANCE_LABEL } },
        spec: {
          external: { url: observability.grafanaWorkspaceUrl, apiKey: { name: GRAFANA_TOKEN_SECRET, key: 'token' } },
        },
      });
    }

    // AMG reaches AMP and CloudWatch with the workspace's own IAM role (infra observability stack), never keys.
    this.add<IGrafanaDatasource>({
      apiVersion: GRAFANA_OPERATOR_API_VERSION,
      kind: 'GrafanaDatasource',
      metadata: metadata('amp'),
      spec: {
        instanceSelector,
        resyncPeriod: '10m',
        // The AMP workspace URL is AWS-made too: the collector's endpoint secret (platform.ts) fills it in.
        valuesFrom: [
          { targetPath: 'url', valueFrom: { secretKeyRef: { name: AMP_ENDPOINT_SECRET, key: 'endpoint' } } },
        ],
        datasource: {
          name: 'Amazon Managed Prometheus',
          type: DATASOURCES.amp.type,
          uid: DATASOURCES.amp.uid,
          access: 'proxy',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the operator replaces ${endpoint}, not JS.
          url: '${endpoint}',
          isDefault: true,
          editable: false,
          jsonData: { sigV4Auth: true, sigV4AuthType: 'ec2_iam_role', sigV4Region: region, httpMethod: 'POST' },
        },
      },
    });
    this.add<IGrafanaDatasource>({
      apiVersion: GRAFANA_OPERATOR_API_VERSION,
      kind: 'GrafanaDatasource',
      metadata: metadata('cloudwatch'),
      spec: {
        instanceSelector,
        resyncPeriod: '10m',
        datasource: {
          name: 'Amazon CloudWatch',
          type: DATASOURCES.cloudwatch.type,
          uid: DATASOURCES.cloudwatch.uid,
          access: 'proxy',
          editable: false,
          jsonData: { authType: 'ec2_iam_role', defaultRegion: region },
        },
      },
    });

    for (const dashboard of buildDashboards(ctx)) {
      this.add<IGrafanaDashboard>({
        apiVersion: GRAFANA_OPERATOR_API_VERSION,
        kind: 'GrafanaDashboard',
        metadata: metadata(`dashboard-${dashboard.uid}`),
        spec: {
          instanceSelector,
          resyncPeriod: '10m',
          folder: DASHBOARD_FOLDER,
          json: `${JSON.stringify(dashboard, null, 2)}\n`,
        },
      });
    }
  }
}
