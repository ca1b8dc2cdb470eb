import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ADDONS } from '../src/charts/addons.ts';
import { RENDERED_DIR, REPO_ROOT } from '../src/layout.ts';
import { config, type Json } from './helpers.ts';

/**
 * The canary analysis as the Argo Rollouts controller decides it: each recorded Prometheus answer goes through Argo
 * Rollouts' own Prometheus provider and condition evaluator (deploy/tools/analysis-eval, built by
 * `make deps-analysis-eval` against the controller version the argo-rollouts chart ships) with the committed render's
 * AnalysisTemplate. Missing data and query errors must never come out Successful.
 */
const ANALYSIS_EVAL = join(REPO_ROOT, '.tools', 'bin', 'analysis-eval');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'canary-analysis', 'prometheus-responses.json');

interface Fixture {
  name: string;
  metric: string;
  status: number;
  body: Json;
  expect: 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
}
interface Measurement {
  name: string;
  metric: string;
  phase: string;
  value: string;
  message: string;
  query: string;
}

const fixtures: Fixture[] = JSON.parse(readFileSync(FIXTURES, 'utf8')).cases;

/**
 * The controller each pinned argo-rollouts chart ships (its appVersion). Chart 2.40.1 was published in July 2025,
 * between controller v1.8.3 (June 2025) and v1.8.4 (February 2026).
 */
const CONTROLLER_OF_CHART: Record<string, string> = { '2.40.1': 'v1.8.3' };

function renderedTemplate(envName: string): Json {
  const file = join(RENDERED_DIR, 'components', envName, 'api', 'api.yaml');
  const objects = parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJSON());
  const templates = objects.filter((object: Json) => object?.kind === 'AnalysisTemplate');
  expect(templates, `${file}: one AnalysisTemplate`).toHaveLength(1);
  return templates[0];
}

function measure(template: Json, cases: Fixture[]): Measurement[] {
  const input = JSON.stringify({
    template,
    cases: cases.map(({ name, metric, status, body }) => ({
      name,
      metric,
      status,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })),
  });
  try {
    return JSON.parse(execFileSync(ANALYSIS_EVAL, [], { input, encoding: 'utf8' }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`${ANALYSIS_EVAL} not found: run make deps-analysis-eval`);
    throw error;
  }
}

const phases = (measurements: Measurement[]) => measurements.map((m) => `${m.metric} / ${m.name}: ${m.phase}`);
const expected = (cases: Fixture[]) => cases.map((c) => `${c.metric} / ${c.name}: ${c.expect}`);

describe('canary analysis: a measurement passes only on a measured value', () => {
  for (const envName of config.environments.map((env) => env.name)) {
    it(`${envName}: each Prometheus answer gets the phase Argo Rollouts must give it`, () => {
      const measurements = measure(renderedTemplate(envName), fixtures);
      expect(phases(measurements)).toEqual(expected(fixtures));
      // The provider really asked the fixture server, with the template's own query.
      for (const m of measurements) expect(m.query).toContain('rollouts_pod_template_hash="{{args.canary-hash}}"');
    });
  }

  it('evaluates with the controller version the pinned chart ships', () => {
    const chart = ADDONS.find((addon) => addon.name === 'argo-rollouts')?.version ?? '';
    const goMod = readFileSync(join(REPO_ROOT, 'deploy', 'tools', 'analysis-eval', 'go.mod'), 'utf8');
    const pinned = /^\s*github\.com\/argoproj\/argo-rollouts (v\S+)$/m.exec(goMod)?.[1];
    expect(CONTROLLER_OF_CHART[chart], `argo-rollouts chart ${chart}: add its appVersion here`).toBeDefined();
    expect(pinned, "deploy/tools/analysis-eval/go.mod pins the chart's controller").toBe(CONTROLLER_OF_CHART[chart]);
  });

  it('covers a pass, a failure, no data, NaN and a provider error for every metric', () => {
    const template = renderedTemplate('prod');
    for (const metric of template.spec.metrics) {
      const outcomes = new Set(fixtures.filter((c) => c.metric === metric.name).map((c) => c.expect));
      expect([...outcomes].sort(), metric.name).toEqual(['Error', 'Failed', 'Inconclusive', 'Successful']);
    }
  });

  it('bounds how long missing data or errors can hold a release: limits set on every metric', () => {
    for (const metric of renderedTemplate('prod').spec.metrics) {
      expect(metric, metric.name).toMatchObject({ failureLimit: 1, inconclusiveLimit: 1, consecutiveErrorLimit: 2 });
    }
  });

  it('never turns an absent series into a value (no `or vector(...)`)', () => {
    for (const metric of renderedTemplate('prod').spec.metrics)
      expect(metric.provider.prometheus.query, metric.name).not.toMatch(/\bvector\s*\(/);
  });

  // The mutation: the condition this template had before passed an empty result and NaN. The same fixtures must
  // catch it, or the test above proves nothing.
  it('catches the old condition that passed on missing data', () => {
    const template = structuredClone(renderedTemplate('prod'));
    const [successRate] = template.spec.metrics;
    delete successRate.failureCondition;
    successRate.successCondition = 'len(result) == 0 || isNaN(result[0]) || result[0] >= 0.99';
    const noData = fixtures.filter((c) => c.metric === 'success-rate' && c.expect === 'Inconclusive');
    expect(noData.length).toBeGreaterThan(0);
    expect(measure(template, noData).map((m) => m.phase)).toEqual(noData.map(() => 'Successful'));
  });
});
