import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR } from '../../lib/app-context.ts';
import { alarmRunbookPath, runbookUrl } from '../../lib/runbooks.ts';
import { config, ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
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
    // The Grafana Operator's token (deploy/src/charts/dashboards.ts) and the workspace URL a person copies to config.
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: names.grafanaOperatorTokenSecretName });
    template.hasOutput('GrafanaWorkspaceUrl', {});
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

describe('observability: no X-Ray sampling rule (the API samples, at the ratio config sets)', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    // A rule here would look like sampling while steering nothing: the API's SDK is the one sampler.
    expect(resources(templateOf(name, 'observability'), 'AWS::XRay::SamplingRule')).toEqual([]);
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

describe('observability: every CloudWatch alarm links its runbook, which exists and is in the index', () => {
  const ROOT = resolve(INFRA_DIR, '..');
  const readme = readFileSync(resolve(ROOT, 'docs/runbooks/README.md'), 'utf8');
  it('the runbook path of an alarm is its name without the environment prefix, and a foreign name fails', () => {
    expect(alarmRunbookPath('innovate-prod-rds-cpu', 'innovate-prod')).toBe('docs/runbooks/rds-cpu.md');
    expect(() => alarmRunbookPath('other-rds-cpu', 'innovate-prod')).toThrow(/does not start with innovate-prod-/);
  });
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    const alarms = resources(templateOf(name, 'observability'), 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      const path = alarmRunbookPath(alarm.AlarmName, env.names.prefix);
      expect(alarm.AlarmDescription, alarm.AlarmName).toMatch(
        new RegExp(`\\. Runbook: ${runbookUrl(config.organization, path).replace(/[.]/g, '\\.')}$`),
      );
      expect(existsSync(resolve(ROOT, path)), path).toBe(true);
      const page = readFileSync(resolve(ROOT, path), 'utf8');
      for (const section of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Rollback', 'Escalation']) {
        expect(page, `${path}: ## ${section}`).toContain(`\n## ${section}\n`);
      }
      expect(page, `${path} names its alarm`).toContain(alarm.AlarmName.replace(env.names.prefix, 'innovate-$ENV'));
      expect(readme).toContain(`(${path.replace('docs/runbooks/', '')})`);
      expect(alarm.AlarmDescription.length).toBeLessThanOrEqual(1024);
    }
  });
});
