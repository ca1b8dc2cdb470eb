/**
 * SLO alerting in Amazon Managed Service for Prometheus (requirement OBS-4): the API's alerting rules as a rule groups
 * namespace on the environment's workspace, and the workspace's alert manager routing every alert to the alarm
 * topic and, where paging is on (prod), `critical` ones to the paging topic too.
 */
import type { OrganizationConfig, ResolvedEnvironment } from '@innovate/config';
import { Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { AlarmTopic } from './alarm-topic.ts';
import { apiSloRules, type RuleGroups, rulesFileContent } from './api-slo-rules.ts';

export interface ApiSloAlertingProps {
  workspace: aps.CfnWorkspace;
  environment: ResolvedEnvironment;
  organization: OrganizationConfig;
  /** Every alert notifies this topic. */
  alarmTopic: AlarmTopic;
  /** `critical` alerts also go here; absent where nobody is paged. */
  pagingTopic?: AlarmTopic;
}

/** Alert manager receiver names (the routing tests read them). */
export const RECEIVERS = { notify: 'alarm-topic', page: 'paging-and-alarm-topic' } as const;

export class ApiSloAlerting extends Construct {
  readonly rules: RuleGroups;

  constructor(scope: Construct, id: string, props: ApiSloAlertingProps) {
    super(scope, id);
    const { workspace, environment, alarmTopic, pagingTopic } = props;
    const stack = Stack.of(this);
    this.rules = apiSloRules(environment, props.organization);
    new aps.CfnRuleGroupsNamespace(this, 'Rules', {
      workspace: workspace.attrArn,
      name: `${environment.names.prefix}-api-slo`,
      data: rulesFileContent(this.rules),
    });

    // AMP requires the region in each SNS receiver's sigv4 block; api_url and http_config are not allowed.
    const sns = (topic: AlarmTopic) => ({
      topic_arn: topic.topic.topicArn,
      sigv4: { region: stack.region },
      subject: `[${environment.name}] {{ .CommonLabels.alertname }} ({{ .Status }})`,
      attributes: { env: environment.name, severity: '{{ .CommonLabels.severity }}' },
    });
    const receivers: { name: string; sns_configs: ReturnType<typeof sns>[] }[] = [
      { name: RECEIVERS.notify, sns_configs: [sns(alarmTopic)] },
    ];
    const route: Record<string, unknown> = {
      receiver: RECEIVERS.notify,
      group_by: ['alertname', 'window'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
    };
    if (pagingTopic) {
      receivers.push({ name: RECEIVERS.page, sns_configs: [sns(pagingTopic), sns(alarmTopic)] });
      route.routes = [{ receiver: RECEIVERS.page, matchers: ['severity="critical"'], repeat_interval: '1h' }];
    }
    // AMP's definition is YAML whose `alertmanager_config` is itself a YAML document (a block string).
    workspace.alertManagerDefinition = stringify(
      { alertmanager_config: stringify({ route, receivers }, { lineWidth: 0 }) },
      { lineWidth: 0 },
    );
    for (const topic of [alarmTopic, ...(pagingTopic ? [pagingTopic] : [])]) {
      topic.allowPrometheusAlertManager(workspace.attrArn, stack.account);
    }
  }
}
