/**
 * The environment's Grafana dashboards, generated from the sources the alarms come from: the SLO signals and
 * thresholds of the AMP alert rules (infra/lib/constructs/api-slo-rules.ts, config `observability.slo`), the canary
 * analysis queries (charts/api-canary-analysis.ts), the CloudWatch alarms' thresholds
 * (infra/lib/constructs/alarm-thresholds.ts), the HPA and pool sizes of config, and the budget the cost model sets.
 * A threshold changed in config moves the alert and the line on its graph together.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { type AccountKey, loadPlatformConfig } from '@innovate/config';
import { ALARM_THRESHOLDS } from '../../../infra/lib/constructs/alarm-thresholds.ts';
import { BURN_RATE_WINDOWS, sloQueries } from '../../../infra/lib/constructs/api-slo-rules.ts';
import { monthlyBudgetUsd } from '../../../infra/lib/foundations/budget-amounts.ts';
import { analysisQueries } from '../charts/api-canary-analysis.ts';
import { API_METRICS } from '../charts/api-workload.ts';
import type { DeployContext } from '../context.ts';
import { cloudWatchPanel, DATASOURCES, newDashboard, promPanel, row } from './panels.ts';

/** Millicores (`500m`) as cores. */
function cores(quantity: string): number {
  return Number(quantity.replace(/m$/, '')) / 1000;
}

function apiDashboard(ctx: DeployContext): Dashboard {
  const { env } = ctx;
  const q = sloQueries(env);
  const { slo } = env.observability;
  const budget = 1 - slo.availabilityTarget;
  return newDashboard('api', 'API', 'Rate, errors, latency and saturation of the API; lines are the alert thresholds.')
    .withRow(row('Traffic and errors'))
    .withPanel(
      promPanel('Requests per second by route', 'reqps', [{ expr: q.rateByRoute(), legend: '{{route}}' }], {
        description: 'User routes only (the probes and /metrics are not traffic).',
      }),
    )
    .withPanel(
      promPanel(
        'Error ratio (5xx) against the burn-rate thresholds',
        'percentunit',
        BURN_RATE_WINDOWS.flatMap(({ long, short }) => [
          { expr: q.errorRatio(long), legend: `5xx ratio ${long}` },
          { expr: q.errorRatio(short), legend: `5xx ratio ${short}` },
        ]),
        {
          threshold: { value: (BURN_RATE_WINDOWS[1]?.factor ?? 1) * budget },
          description: `ApiErrorBudgetBurn fires when a long and its short window both exceed factor × ${budget} (the budget of a ${slo.availabilityTarget} objective): ${BURN_RATE_WINDOWS.map((w) => `${w.factor}x over ${w.long}/${w.short}`).join(', ')}. The line is the slower burn's threshold.`,
        },
      ),
    )
    .withRow(row('Latency'))
    .withPanel(
      promPanel('p99 latency by route', 's', [{ expr: q.p99ByRoute(), legend: '{{route}}' }], {
        threshold: { value: slo.p99LatencySeconds },
        description:
          'ApiLatencyP99High fires after 10 minutes above the line on a route with at least 3 requests a minute.',
      }),
    )
    .withPanel(
      promPanel(
        'Latency percentiles (all user routes)',
        's',
        [0.5, 0.9, 0.99].map((quantile) => ({
          expr: `histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{${q.userTraffic}}[5m])))`,
          legend: `p${quantile * 100}`,
        })),
        { threshold: { value: slo.p99LatencySeconds } },
      ),
    )
    .withRow(row('Saturation'))
    .withPanel(
      promPanel('DB pool in use per pod', 'percentunit', [{ expr: q.poolSaturationByPod, legend: '{{pod}}' }], {
        threshold: { value: slo.dbPoolSaturation },
        description: 'ApiDbPoolSaturated fires after 10 minutes above the line.',
      }),
    )
    .withPanel(
      promPanel('Pods against the HPA maximum', 'short', [{ expr: q.podCount, legend: 'API pods' }], {
        threshold: { value: env.api.maxReplicas },
        description: `ApiAtMaxReplicas fires after 15 minutes at ${env.api.maxReplicas} pods (api.maxReplicas).`,
      }),
    )
    .withPanel(
      promPanel(
        'CPU per pod against its request',
        'short',
        [
          {
            expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${q.namespace},container="api"}[5m]))`,
            legend: '{{pod}}',
          },
        ],
        {
          threshold: { value: cores(env.api.resources.cpuRequest) },
          description: `Cores used (kubelet cAdvisor); the line is the request (${env.api.resources.cpuRequest}) the HPA's 70 % target is a share of.`,
        },
      ),
    )
    .withPanel(
      promPanel('Readiness answers (200 per second)', 'reqps', [{ expr: q.readyAnswers, legend: '/readyz 200' }], {
        threshold: { value: 0, below: true },
        description: 'ApiNoReadyTargets fires after 3 minutes without one.',
      }),
    )
    .build();
}

function canaryDashboard(ctx: DeployContext): Dashboard {
  const ns = `namespace="${ctx.env.names.apiNamespace}"`;
  const hash = 'rollouts_pod_template_hash';
  const side = (name: string) => analysisQueries(`${ns},${hash}="$${name}"`);
  const variable = (name: string, label: string) =>
    new dashboard.QueryVariableBuilder(name)
      .label(label)
      .datasource(DATASOURCES.amp)
      .query(`label_values(${API_METRICS.requestsTotal}{${ns}}, ${hash})`)
      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged);
  return newDashboard(
    'canary',
    'Canary',
    'The canary analysis queries (Argo Rollouts AnalysisTemplate) for two pod template hashes side by side.',
  )
    .withVariable(variable('stable', 'Stable pod template hash'))
    .withVariable(variable('canary', 'Canary pod template hash'))
    .withPanel(
      promPanel(
        'Success rate: stable vs canary',
        'percentunit',
        [
          { expr: side('stable').successRate, legend: 'stable' },
          { expr: side('canary').successRate, legend: 'canary' },
        ],
        {
          threshold: { value: API_METRICS.minSuccessRate, below: true },
          description: `The analysis fails the canary below ${API_METRICS.minSuccessRate}.`,
        },
      ),
    )
    .withPanel(
      promPanel(
        'p99 latency: stable vs canary',
        's',
        [
          { expr: side('stable').p99Latency, legend: 'stable' },
          { expr: side('canary').p99Latency, legend: 'canary' },
        ],
        {
          threshold: { value: API_METRICS.maxP99Seconds },
          description: `The analysis fails the canary above ${API_METRICS.maxP99Seconds}s.`,
        },
      ),
    )
    .withPanel(
      promPanel('Requests per second by pod template hash', 'reqps', [
        { expr: `sum by (${hash}) (rate(${API_METRICS.requestsTotal}{${ns}}[2m]))`, legend: `{{${hash}}}` },
      ]),
    )
    .build();
}

function databaseDashboard(ctx: DeployContext): Dashboard {
  const { env } = ctx;
  const rds = (metric: string, statistic: string, instance = env.names.databaseInstanceIdentifier) => ({
    namespace: 'AWS/RDS',
    metric,
    dimensions: { DBInstanceIdentifier: instance },
    statistic,
    label: instance,
  });
  const replica = env.database.readReplica ? `${env.names.databaseInstanceIdentifier}-replica` : undefined;
  const api = env.api;
  const builder = newDashboard('database', 'Database', 'RDS PostgreSQL (CloudWatch); lines are the alarm thresholds.')
    .withPanel(
      cloudWatchPanel('CPU', 'percent', env.region, [rds('CPUUtilization', 'Average')], {
        threshold: { value: ALARM_THRESHOLDS.databaseCpuPercent },
      }),
    )
    .withPanel(
      cloudWatchPanel('Free storage', 'bytes', env.region, [rds('FreeStorageSpace', 'Minimum')], {
        threshold: {
          value: Math.round(env.database.allocatedStorageGiB * 1024 ** 3 * ALARM_THRESHOLDS.freeStorageShare),
          below: true,
        },
      }),
    )
    .withPanel(
      cloudWatchPanel('Connections', 'short', env.region, [rds('DatabaseConnections', 'Maximum')], {
        threshold: { value: api.maxReplicas * api.workers * api.dbPoolSize },
        description: "The line is the API pools' ceiling: maxReplicas × workers × dbPoolSize.",
      }),
    )
    .withPanel(
      cloudWatchPanel('Read and write IOPS', 'iops', env.region, [
        { ...rds('ReadIOPS', 'Average'), label: 'read' },
        { ...rds('WriteIOPS', 'Average'), label: 'write' },
      ]),
    )
    .withPanel(
      cloudWatchPanel('Read and write latency', 's', env.region, [
        { ...rds('ReadLatency', 'Average'), label: 'read' },
        { ...rds('WriteLatency', 'Average'), label: 'write' },
      ]),
    );
  if (replica) {
    builder.withPanel(
      cloudWatchPanel('Replica lag', 's', env.region, [rds('ReplicaLag', 'Maximum', replica)], {
        threshold: { value: ALARM_THRESHOLDS.replicaLagSeconds },
      }),
    );
  }
  return builder.build();
}

function edgeDashboard(ctx: DeployContext): Dashboard {
  const { env } = ctx;
  // CloudFront and WAF for CloudFront publish in us-east-1; the ALB and its regional web ACL in the env's region.
  // Their ids are made by AWS: Metrics Insights queries follow whichever exists (one of each per account).
  const global = 'us-east-1';
  return newDashboard('edge', 'Edge', 'CloudFront, WAF and the API load balancer (CloudWatch).')
    .withPanel(
      cloudWatchPanel('CloudFront requests', 'short', global, [
        { insights: 'SELECT SUM(Requests) FROM SCHEMA("AWS/CloudFront", DistributionId, Region)', label: 'requests' },
      ]),
    )
    .withPanel(
      cloudWatchPanel('CloudFront error rates', 'percent', global, [
        { insights: 'SELECT AVG("4xxErrorRate") FROM SCHEMA("AWS/CloudFront", DistributionId, Region)', label: '4xx' },
        { insights: 'SELECT AVG("5xxErrorRate") FROM SCHEMA("AWS/CloudFront", DistributionId, Region)', label: '5xx' },
      ]),
    )
    .withPanel(
      cloudWatchPanel('WAF blocked requests by web ACL (CloudFront)', 'short', global, [
        {
          insights: 'SELECT SUM(BlockedRequests) FROM SCHEMA("AWS/WAFV2", Region, Rule, WebACL) GROUP BY WebACL',
          label: 'blocked',
        },
      ]),
    )
    .withPanel(
      cloudWatchPanel('WAF blocked requests by rule (regional)', 'short', env.region, [
        {
          insights: 'SELECT SUM(BlockedRequests) FROM SCHEMA("AWS/WAFV2", Region, Rule, WebACL) GROUP BY Rule',
          label: 'blocked',
        },
      ]),
    )
    .withPanel(
      cloudWatchPanel(
        'API targets: 5xx per minute',
        'short',
        env.region,
        [
          {
            insights: 'SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
            label: 'target 5xx',
          },
        ],
        { threshold: { value: ALARM_THRESHOLDS.alb5xxPerMinute } },
      ),
    )
    .withPanel(
      cloudWatchPanel(
        'API targets: response time',
        's',
        env.region,
        [
          {
            insights: 'SELECT MAX(TargetResponseTime) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
            label: 'target response time',
          },
        ],
        { threshold: { value: ALARM_THRESHOLDS.albTargetResponseSeconds } },
      ),
    )
    .build();
}

function clusterDashboard(ctx: DeployContext): Dashboard {
  const { karpenter } = ctx.env.cluster;
  return newDashboard('cluster', 'Cluster and Karpenter', 'Nodes Karpenter runs and what the workloads use.')
    .withPanel(
      promPanel('Nodes', 'short', [{ expr: 'karpenter_cluster_state_node_count', legend: 'nodes' }], {
        description: 'Nodes in Karpenter’s view of the cluster (its controller metrics, scraped by the collector).',
      }),
    )
    .withPanel(
      promPanel(
        'NodePool CPU in use against its limit',
        'short',
        [{ expr: 'sum by (nodepool) (karpenter_nodepools_usage{resource_type="cpu"})', legend: '{{nodepool}}' }],
        { threshold: { value: karpenter.cpuLimit }, description: 'The line is cluster.karpenter.cpuLimit (cores).' },
      ),
    )
    .withPanel(
      promPanel('Node claims created and disrupted', 'short', [
        { expr: 'sum by (reason) (increase(karpenter_nodeclaims_created_total[1h]))', legend: 'created: {{reason}}' },
        {
          expr: 'sum by (reason) (increase(karpenter_nodeclaims_disrupted_total[1h]))',
          legend: 'disrupted: {{reason}}',
        },
      ]),
    )
    .withPanel(
      promPanel('Container memory by namespace', 'bytes', [
        { expr: 'sum by (namespace) (container_memory_working_set_bytes{container!=""})', legend: '{{namespace}}' },
      ]),
    )
    .build();
}

function costDashboard(ctx: DeployContext): Dashboard {
  const budget = monthlyBudgetUsd(loadPlatformConfig(), ctx.env.name as AccountKey);
  return newDashboard('cost', 'Cost', "The month's estimated charges against the budget the cost model sets.")
    .withPanel(
      cloudWatchPanel(
        'Estimated charges this month (USD)',
        'currencyUSD',
        'us-east-1',
        [
          {
            namespace: 'AWS/Billing',
            metric: 'EstimatedCharges',
            dimensions: { Currency: 'USD' },
            statistic: 'Maximum',
            label: 'estimated charges',
          },
        ],
        {
          threshold: { value: budget },
          description: `The line is the account's monthly budget, ${budget} USD: the committed estimate (cost/estimates.json) plus the margin. Billing metrics exist only in us-east-1, once billing alerts are on.`,
        },
      ),
    )
    .build();
}

/** Every dashboard of the environment, in the order the folder lists them. */
export function buildDashboards(ctx: DeployContext): Dashboard[] {
  return [apiDashboard, canaryDashboard, databaseDashboard, edgeDashboard, clusterDashboard, costDashboard].map(
    (build) => build(ctx),
  );
}
