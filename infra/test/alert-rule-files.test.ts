/**
 * The rule files promtool tests (infra/alert-rules/, `make test-alert-rules`) are the rules AMP gets: the same text
 * as each environment's synthesized rule groups namespace, and every alert has at least one test where it fires
 * and one where it must stay quiet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RuleTestFile } from '../lib/alert-rule-tests/api-slo-cases.ts';
import { INFRA_DIR } from '../lib/app-context.ts';
import { apiSloRules } from '../lib/constructs/api-slo-rules.ts';
import { config, ENVIRONMENTS, environment, templateOf } from './helpers/environment-stacks.ts';
import { only } from './helpers/template-queries.ts';

// Written by scripts/alert-rules.ts (a CLI, not imported here).
const ALERT_RULES_DIR = join(INFRA_DIR, 'alert-rules');
const RULES_FILE = 'api-slo.rules.yaml';
const TESTS_FILE = 'api-slo.test.yaml';
const read = (name: string, file: string) => readFileSync(join(ALERT_RULES_DIR, name, file), 'utf8');

describe('alert rule files: what promtool tests is what AMP gets', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const namespace = only(templateOf(name, 'observability'), 'AWS::APS::RuleGroupsNamespace');
    expect(parse(read(name, RULES_FILE))).toEqual(parse(namespace.Properties.Data));
  });
});

describe('alert rule files: every alert fires in one test and stays quiet in another', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const tests = (parse(read(name, TESTS_FILE)) as RuleTestFile).tests.flatMap((group) => group.alert_rule_test);
    const alerts = new Set(apiSloRules(environment(name), config.organization).groups[0]?.rules.map((r) => r.alert));
    for (const alert of alerts) {
      const cases = tests.filter((test) => test.alertname === alert);
      expect(
        cases.some((test) => test.exp_alerts.length > 0),
        `${alert} fires somewhere`,
      ).toBe(true);
      expect(
        cases.some((test) => test.exp_alerts.length === 0),
        `${alert} stays quiet somewhere`,
      ).toBe(true);
      for (const fired of cases.flatMap((test) => test.exp_alerts)) {
        expect(fired.exp_labels.severity, alert).toMatch(/^(critical|warning)$/);
        expect(fired.exp_annotations.runbook_url, alert).toMatch(/\/docs\/runbooks\/[a-z0-9-]+\.md$/);
      }
    }
  });
});
