import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { XRAY_FIXED_RATE } from '../../lib/stacks/observability-stack.ts';
import { ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { resources } from '../helpers/template-queries.ts';

describe('observability: AMP workspace and Managed Grafana with Identity Center', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'observability');
    const names = environment(name).names;
    template.hasResourceProperties('AWS::APS::Workspace', { Alias: names.prefix });
    template.hasResourceProperties('AWS::Grafana::Workspace', {
      AuthenticationProviders: ['AWS_SSO'],
      AccountAccessType: 'CURRENT_ACCOUNT',
      DataSources: Match.arrayWith(['PROMETHEUS', 'CLOUDWATCH', 'XRAY']),
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: names.ampEndpointSecretName });
  });
});

describe('observability: log groups with retention and KMS', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const groups = resources(templateOf(name, 'observability'), 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(0);
    for (const [, group] of groups) {
      expect(group.Properties.RetentionInDays).toBe(environment(name).observability.logRetentionDays);
      expect(group.Properties.KmsKeyId).toBeDefined();
    }
    expect(groups.map(([, g]) => g.Properties.LogGroupName)).toContain(environment(name).names.containerLogGroupName);
  });
});

describe('observability: SNS alarm topic (KMS, TLS only, e-mail)', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'observability');
    const [, found] = resources(template, 'AWS::SNS::Topic').find(
      ([, t]) => t.Properties.TopicName === environment(name).names.alarmTopicName,
    ) ?? [undefined, undefined];
    const topic = found?.Properties;
    expect(topic.KmsMasterKeyId).toBeDefined();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: environment(name).observability.alarmEmail,
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('observability: CloudWatch alarms (ALB 5xx, target latency, RDS CPU, storage, connections)', () => {
  it.each(ENVIRONMENTS)('%s: every alarm notifies the topic', (name) => {
    const alarms = resources(templateOf(name, 'observability'), 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const byName = Object.fromEntries(
      alarms.map((a) => [a.AlarmName.replace(`${environment(name).names.prefix}-`, ''), a]),
    );
    expect(Object.keys(byName).sort()).toEqual(
      [
        'alb-5xx',
        'alb-target-latency',
        'rds-connections',
        'rds-cpu',
        'rds-free-storage',
        ...(environment(name).database.readReplica ? ['rds-replica-lag'] : []),
      ].sort(),
    );
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toContainEqual({ Ref: expect.stringMatching(/^AlarmTopic/) });
    }
    const id = environment(name).names.databaseInstanceIdentifier;
    expect(byName['rds-cpu'].Dimensions).toEqual([{ Name: 'DBInstanceIdentifier', Value: id }]);
    const api = environment(name).api;
    expect(byName['rds-connections'].Threshold).toBe(api.maxReplicas * api.workers * api.dbPoolSize);
    expect(byName['rds-free-storage'].Threshold).toBe(
      Math.round(environment(name).database.allocatedStorageGiB * 1024 ** 3 * 0.1),
    );
    expect(JSON.stringify(byName['alb-5xx'].Metrics)).toContain('HTTPCode_Target_5XX_Count');
    expect(JSON.stringify(byName['alb-target-latency'].Metrics)).toContain('TargetResponseTime');
  });
});

describe('observability: X-Ray sampling rule', () => {
  it('samples /api/* at the configured rate', () => {
    templateOf('prod', 'observability').hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({ FixedRate: XRAY_FIXED_RATE, URLPath: '/api/*', ReservoirSize: 1 }),
    });
  });
});

describe('observability: paging only where config says so (prod), for the user-facing alarms', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'observability');
    const env = environment(name);
    const topics = resources(template, 'AWS::SNS::Topic').map(([, t]) => t.Properties.TopicName);
    expect(topics.includes(env.names.pagingTopicName)).toBe(env.observability.paging);
    const paged = resources(template, 'AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties.AlarmActions.some((r: { Ref: string }) => r.Ref.startsWith('PagingTopic')))
      .map(([, a]) => a.Properties.AlarmName.replace(`${env.names.prefix}-`, ''))
      .sort();
    expect(paged).toEqual(env.observability.paging ? ['alb-5xx', 'alb-target-latency', 'rds-free-storage'] : []);
  });

  it('prod pages and the other environments do not (config)', () => {
    expect(ENVIRONMENTS.filter((name) => environment(name).observability.paging)).toEqual(['prod']);
  });
});
