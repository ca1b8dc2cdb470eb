import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RECEIVERS } from '../../lib/constructs/api-slo-alerting.ts';
import {
  type AlertRule,
  apiSloRules,
  BURN_RATE_WINDOWS,
  type RuleGroups,
  runbookPath,
  SCRAPE_LABELS,
} from '../../lib/constructs/api-slo-rules.ts';
import { config, ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { apiExportedSeries, promqlSyntaxErrors, unresolvedReferences } from '../helpers/promql.ts';
import { asArray, only, resources } from '../helpers/template-queries.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const METRICS_MODULE = resolve(ROOT, 'api/src/innovate_api/observability/metrics.py');
const exported = apiExportedSeries(METRICS_MODULE);

/** The rules as deployed: the namespace's `Data` read back from the synthesized template. */
function deployedRules(name: string): AlertRule[] {
  const namespace = only(templateOf(name, 'observability'), 'AWS::APS::RuleGroupsNamespace');
  return (parse(namespace.Properties.Data) as RuleGroups).groups.flatMap((group) => group.rules);
}

/** A CloudFormation string with `Ref`s in it (Fn::Join) as text, each Ref written `REF(<logical id>)`. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const parts = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return parts.map((part) => (typeof part === 'string' ? part : `REF(${(part as { Ref: string }).Ref})`)).join('');
}

function workspaceIdOf(name: string): string {
  const [found, ...others] = resources(templateOf(name, 'observability'), 'AWS::APS::Workspace');
  if (!found || others.length) throw new Error(`${name}: expected one AMP workspace`);
  return found[0];
}

function topicId(name: string, topicName: string): string {
  const found = resources(templateOf(name, 'observability'), 'AWS::SNS::Topic').find(
    ([, topic]) => topic.Properties.TopicName === topicName,
  );
  if (!found) throw new Error(`no topic ${topicName}`);
  return found[0];
}

describe('SLO alerting: a rule groups namespace on the environment AMP workspace, thresholds from config', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    const template = templateOf(name, 'observability');
    const workspaceId = workspaceIdOf(name);
    const namespace = only(template, 'AWS::APS::RuleGroupsNamespace');
    expect(namespace.Properties.Workspace).toEqual({ 'Fn::GetAtt': [workspaceId, 'Arn'] });
    const rules = deployedRules(name);
    const byName = (alert: string) => rules.filter((rule) => rule.alert === alert);

    const [latency] = byName('ApiLatencyP99High');
    expect(latency?.expr).toMatch(
      /^histogram_quantile\(0\.99, sum by \(le, route\) \(rate\(http_request_duration_seconds_bucket/,
    );
    expect(latency?.expr).toContain(`> ${env.observability.slo.p99LatencySeconds} and`);

    const budget = 1 - env.observability.slo.availabilityTarget;
    const burns = byName('ApiErrorBudgetBurn');
    expect(burns.map((rule) => rule.labels.window)).toEqual(BURN_RATE_WINDOWS.map((w) => w.long));
    for (const [index, window] of BURN_RATE_WINDOWS.entries()) {
      const expr = burns[index]?.expr ?? '';
      // Both windows of the pair, each compared with factor × budget.
      expect(expr).toContain(`[${window.long}]`);
      expect(expr).toContain(`[${window.short}]`);
      const thresholds = [...expr.matchAll(/\) > ([0-9.e-]+)/g)].map((m) => Number(m[1]));
      expect(thresholds).toHaveLength(2);
      for (const threshold of thresholds) expect(threshold).toBeCloseTo(window.factor * budget, 12);
    }

    expect(byName('ApiDbPoolSaturated')[0]?.expr).toContain(
      `/ sum by (pod) (db_pool_size{namespace="${env.names.apiNamespace}"}) > ${env.observability.slo.dbPoolSaturation}`,
    );
    expect(byName('ApiAtMaxReplicas')[0]?.expr).toMatch(new RegExp(`>= ${env.api.maxReplicas}$`));
    expect(byName('ApiNoReadyTargets')[0]?.expr).toContain('route="/readyz",status="200"');
    // Every selector is scoped to the API's namespace.
    for (const rule of rules) {
      for (const selector of rule.expr.matchAll(/[a-z_]+\{([^}]*)\}/g)) {
        expect(selector[1], `${rule.alert}: ${selector[0]}`).toContain(`namespace="${env.names.apiNamespace}"`);
      }
    }
  });
});

describe('SLO alerting: every PromQL expression parses (Prometheus Lezer grammar)', () => {
  it('the checker finds a broken expression', () => {
    expect(promqlSyntaxErrors('sum(rate(http_requests_total[5m])')).not.toEqual([]);
    expect(promqlSyntaxErrors('http_requests_total{status="5..}')).not.toEqual([]);
  });
  it.each(ENVIRONMENTS)('%s', (name) => {
    for (const rule of deployedRules(name)) {
      expect(promqlSyntaxErrors(rule.expr), `${rule.alert}: ${rule.expr}`).toEqual([]);
      expect(rule.for).toMatch(/^\d+[smh]$/);
    }
  });
});

describe('SLO alerting: every series and label a rule uses is one the API exports (metrics.py) or the scrape adds', () => {
  it('the metrics module declares the series the rules rely on', () => {
    expect([...exported.series.keys()]).toEqual(
      expect.arrayContaining(['http_requests_total', 'http_request_duration_seconds_bucket', 'db_pool_size']),
    );
  });
  it('the check fails for a metric or label the API does not export', () => {
    expect(unresolvedReferences('rate(http_requests_count[5m])', exported, SCRAPE_LABELS)).toEqual([
      'metric http_requests_count is not exported by the API',
    ]);
    expect(unresolvedReferences('db_pool_size{code="500"}', exported, SCRAPE_LABELS)).toEqual([
      'label code is not on db_pool_size',
    ]);
    expect(unresolvedReferences('sum by (handler) (db_pool_size)', exported, SCRAPE_LABELS)).toHaveLength(1);
  });
  it.each(ENVIRONMENTS)('%s', (name) => {
    for (const rule of deployedRules(name)) {
      expect(unresolvedReferences(rule.expr, exported, SCRAPE_LABELS), rule.alert).toEqual([]);
    }
  });
});

describe('SLO alerting: alert manager routes to the alarm topic, critical alerts page only where paging is on', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    const workspace = only(templateOf(name, 'observability'), 'AWS::APS::Workspace');
    const definition = parse(joined(workspace.Properties.AlertManagerDefinition));
    const manager = parse(definition.alertmanager_config);
    const alarm = `REF(${topicId(name, env.names.alarmTopicName)})`;
    const receivers = new Map<string, string[]>(
      manager.receivers.map((r: { name: string; sns_configs: { topic_arn: string; sigv4: { region: string } }[] }) => {
        for (const sns of r.sns_configs) expect(sns.sigv4.region).toBe(env.region);
        return [r.name, r.sns_configs.map((sns) => sns.topic_arn)];
      }),
    );
    expect(manager.route.receiver).toBe(RECEIVERS.notify);
    expect(receivers.get(RECEIVERS.notify)).toEqual([alarm]);
    if (env.observability.paging) {
      const paging = `REF(${topicId(name, env.names.pagingTopicName)})`;
      expect(manager.route.routes).toEqual([
        expect.objectContaining({ receiver: RECEIVERS.page, matchers: ['severity="critical"'] }),
      ]);
      expect(receivers.get(RECEIVERS.page)).toEqual([paging, alarm]);
    } else {
      expect(manager.route.routes).toBeUndefined();
      expect([...receivers.keys()]).toEqual([RECEIVERS.notify]);
    }
    // Every alert has a severity the route understands.
    for (const rule of deployedRules(name)) expect(['critical', 'warning']).toContain(rule.labels.severity);
  });
});

describe('SLO alerting: AMP may publish to the topics (SourceArn + SourceAccount) and use their keys', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    const template = templateOf(name, 'observability');
    const workspaceId = workspaceIdOf(name);
    const topicNames = [env.names.alarmTopicName, ...(env.observability.paging ? [env.names.pagingTopicName] : [])];
    for (const topicName of topicNames) {
      const id = topicId(name, topicName);
      const policy = resources(template, 'AWS::SNS::TopicPolicy').find(([, p]) =>
        asArray(p.Properties.Topics).some((t: { Ref: string }) => t.Ref === id),
      );
      const statements = policy?.[1].Properties.PolicyDocument.Statement.filter(
        (s: { Principal?: { Service?: string } }) => s.Principal?.Service === 'aps.amazonaws.com',
      );
      expect(statements, topicName).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: ['sns:GetTopicAttributes', 'sns:Publish'],
          Resource: { Ref: id },
          Condition: {
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [workspaceId, 'Arn'] } },
            StringEquals: { 'aws:SourceAccount': env.account.id },
          },
        }),
      ]);
      const topic = template.toJSON().Resources[id];
      const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
      const keyStatements = template
        .toJSON()
        .Resources[keyId].Properties.KeyPolicy.Statement.filter(
          (s: { Principal?: { Service?: string } }) => s.Principal?.Service === 'aps.amazonaws.com',
        );
      expect(keyStatements, topicName).toEqual([
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: { StringEquals: { 'aws:SourceAccount': env.account.id } },
        }),
      ]);
    }
  });
});

describe('SLO alerting: every alert links an existing runbook, listed in docs/runbooks/README.md', () => {
  const readme = readFileSync(resolve(ROOT, 'docs/runbooks/README.md'), 'utf8');
  const { githubOwner, githubRepo, branch } = config.organization.git;
  const alerts = apiSloRules(environment('prod'), config.organization).groups.flatMap((g) => g.rules);
  it.each([...new Set(alerts.map((rule) => rule.alert))])('%s', (alert) => {
    const path = runbookPath(alert);
    expect(existsSync(resolve(ROOT, path)), path).toBe(true);
    const runbook = readFileSync(resolve(ROOT, path), 'utf8');
    for (const section of [
      '## Meaning',
      '## Impact',
      '## Diagnosis',
      '## Mitigation',
      '## Rollback',
      '## Escalation',
    ]) {
      expect(runbook, `${path} ${section}`).toContain(section);
    }
    expect(readme).toContain(`(${path.replace('docs/runbooks/', '')})`);
    for (const rule of alerts.filter((r) => r.alert === alert)) {
      expect(rule.annotations.runbook_url).toBe(
        `https://github.com/${githubOwner}/${githubRepo}/blob/${branch}/${path}`,
      );
    }
  });
});
