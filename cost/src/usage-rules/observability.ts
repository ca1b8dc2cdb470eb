/** CloudWatch Logs, Amazon Managed Prometheus and Grafana, and X-Ray traces, priced from config `usage`. */
import type { UsageContext, UsageRule } from './rule.ts';

/** Every resource type that writes to CloudWatch Logs. */
const LOG_TYPES = ['AWS::Logs::LogGroup', 'AWS::EC2::FlowLog', 'AWS::WAFv2::LoggingConfiguration', 'AWS::EKS::Cluster'];
const hasLogs = (ctx: UsageContext) => ctx.has(...LOG_TYPES);
const traceSampleRatio = (ctx: UsageContext) => ctx.account.env?.observability.traceSampleRatio;

export const observabilityRules: readonly UsageRule[] = [
  {
    id: 'logs-ingested',
    owner: 'AWS::Logs::LogGroup',
    fields: ['logGB'],
    appliesWhen: hasLogs,
    item: 'CloudWatch Logs ingested',
    price: 'cloudwatch.logs.ingest.gb',
    unit: 'GB ingested',
    quantity: (ctx) => ctx.usage.logGB,
  },
  {
    id: 'logs-stored',
    owner: 'AWS::Logs::LogGroup',
    fields: ['logGB'],
    appliesWhen: hasLogs,
    item: (ctx) => `CloudWatch Logs stored (${ctx.account.logRetentionDays} days)`,
    price: 'cloudwatch.logs.storage.gb-month',
    unit: 'GB-month archived',
    // Steady state: a month's volume is kept for the retention period.
    quantity: (ctx) => (ctx.usage.logGB * ctx.account.logRetentionDays) / 30,
  },
  {
    id: 'amp-samples',
    owner: 'AWS::APS::Workspace',
    fields: ['metricSamplesMillions'],
    appliesWhen: (ctx) => ctx.has('AWS::APS::Workspace'),
    item: 'AMP samples ingested',
    price: 'amp.samples.10m',
    unit: '10 million samples ingested',
    quantity: (ctx) => ctx.usage.metricSamplesMillions / 10,
  },
  {
    id: 'grafana-editors',
    owner: 'AWS::Grafana::Workspace',
    fields: ['grafanaEditors'],
    appliesWhen: (ctx) => ctx.has('AWS::Grafana::Workspace'),
    item: 'Grafana editors',
    price: 'grafana.editor.month',
    unit: 'active editor/admin user-month',
    quantity: (ctx) => ctx.usage.grafanaEditors,
  },
  {
    id: 'grafana-viewers',
    owner: 'AWS::Grafana::Workspace',
    fields: ['grafanaViewers'],
    appliesWhen: (ctx) => ctx.has('AWS::Grafana::Workspace'),
    item: 'Grafana viewers',
    price: 'grafana.viewer.month',
    unit: 'active viewer user-month',
    quantity: (ctx) => ctx.usage.grafanaViewers,
  },
  {
    // Traces reach X-Ray from the collector in the cluster; the API sampled them (config traceSampleRatio), so the
    // volume is API requests × that share. Nothing else in an environment sends traces. No field is reported when
    // there is no cluster: requestsMillions is the edge's usage too.
    id: 'xray-traces',
    owner: 'X-Ray traces',
    fields: [],
    appliesWhen: (ctx) => traceSampleRatio(ctx) !== undefined && ctx.has('AWS::EKS::Cluster'),
    item: (ctx) => `X-Ray traces recorded (${traceSampleRatio(ctx)} of API requests sampled)`,
    price: 'xray.traces-recorded.million',
    unit: 'million traces recorded',
    quantity: (ctx) => ctx.usage.requestsMillions * ctx.usage.apiRequestShare * (traceSampleRatio(ctx) ?? 0),
  },
];
