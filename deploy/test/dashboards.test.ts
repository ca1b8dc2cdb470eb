/**
 * The generated dashboards as rendered for the Grafana Operator: every environment gets all of them, every query
 * parses and names series something really exports, every panel uses a data source the render provisions, and the
 * lines drawn are the thresholds the alerts and alarms use (config), not copies.
 */
import { join } from 'node:path';
import type { AccountKey } from '@innovate/config';
import { App, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { monthlyBudgetUsd } from '../../infra/lib/foundations/budget-amounts.ts';
import { apiExportedSeries, promqlReferences, promqlSyntaxErrors } from '../../infra/test/helpers/promql.ts';
import { DashboardsChart, GRAFANA_INSTANCE_LABEL } from '../src/charts/dashboards.ts';
import { REPO_ROOT } from '../src/layout.ts';
import { deployContext } from '../src/render.ts';
import { config, find, type Json, objectsOf } from './helpers.ts';

const envs = config.environments.map((env) => env.name);
const exported = apiExportedSeries(join(REPO_ROOT, 'api/src/innovate_api/observability/metrics.py'));
/** Series the collector scrapes besides the API's own (addons.ts): Karpenter's controller and kubelet cAdvisor. */
const OTHER_SCRAPED = /^(karpenter_[a-z_]+|container_cpu_usage_seconds_total|container_memory_working_set_bytes)$/;

function dashboardsOf(name: string): Json[] {
  return (find(objectsOf(name), 'GrafanaDashboard') as Json[]).map((object) => JSON.parse(object.spec.json));
}
const panels = (dashboard: Json): Json[] => dashboard.panels.filter((panel: Json) => panel.type !== 'row');
const panelOf = (dashboard: Json, title: string): Json => {
  const found = panels(dashboard).find((panel) => panel.title === title);
  if (!found) throw new Error(`${dashboard.uid}: no panel ${title}`);
  return found;
};
const line = (panel: Json): number => panel.fieldConfig.defaults.thresholds.steps[1].value;

describe('dashboards: every environment gets every dashboard, with its data sources', () => {
  it.each(envs)('%s', (name) => {
    const objects = objectsOf(name) as Json[];
    const dashboards = dashboardsOf(name);
    expect(dashboards.map((d) => d.uid)).toEqual(['api', 'canary', 'database', 'edge', 'cluster', 'cost']);
    const sources = new Set((find(objects, 'GrafanaDatasource') as Json[]).map((s) => s.spec.datasource.uid));
    for (const object of find(objects, 'GrafanaDashboard') as Json[]) {
      expect(object.spec.instanceSelector.matchLabels).toEqual(GRAFANA_INSTANCE_LABEL);
    }
    for (const dashboard of dashboards) {
      expect(panels(dashboard).length, dashboard.uid).toBeGreaterThan(0);
      expect(dashboard.editable, `${dashboard.uid} is read-only (Git owns it)`).toBe(false);
      for (const panel of panels(dashboard)) {
        expect(sources, `${dashboard.uid}/${panel.title}`).toContain(panel.datasource.uid);
        for (const target of panel.targets) expect(sources).toContain(target.datasource.uid);
      }
    }
  });
});

describe('dashboards: every PromQL query parses and names series that are collected', () => {
  it.each(envs)('%s', (name) => {
    for (const dashboard of dashboardsOf(name)) {
      for (const target of panels(dashboard).flatMap((panel) => panel.targets)) {
        if (target.datasource.type !== 'prometheus') continue;
        // Grafana's variables ($canary) are strings inside label matchers: still valid PromQL.
        expect(promqlSyntaxErrors(target.expr), target.expr).toEqual([]);
        for (const metric of promqlReferences(target.expr).metrics) {
          expect(exported.series.has(metric) || OTHER_SCRAPED.test(metric), `${dashboard.uid}: ${metric}`).toBe(true);
        }
      }
    }
  });
  it('the check finds a metric nobody exports', () => {
    const metric = promqlReferences('sum(rate(http_requests_count[5m]))').metrics[0] as string;
    expect(exported.series.has(metric) || OTHER_SCRAPED.test(metric)).toBe(false);
  });
});

describe('dashboards: the lines drawn are the thresholds config gives the alerts and alarms', () => {
  it.each(envs)('%s', (name) => {
    const env = config.environment(name);
    const [api, canary, database, , cluster, cost] = dashboardsOf(name);
    expect(line(panelOf(api, 'p99 latency by route'))).toBe(env.observability.slo.p99LatencySeconds);
    expect(line(panelOf(api, 'DB pool in use per pod'))).toBe(env.observability.slo.dbPoolSaturation);
    expect(line(panelOf(api, 'Pods against the HPA maximum'))).toBe(env.api.maxReplicas);
    expect(line(panelOf(database, 'Connections'))).toBe(env.api.maxReplicas * env.api.workers * env.api.dbPoolSize);
    expect(line(panelOf(cluster, 'NodePool CPU in use against its limit'))).toBe(env.cluster.karpenter.cpuLimit);
    expect(line(panelOf(cost, 'Estimated charges this month (USD)'))).toBe(
      monthlyBudgetUsd(config, name as AccountKey),
    );
    // The database's instance is the one the data stack names.
    const cpu = panelOf(database, 'CPU').targets[0];
    expect(cpu.dimensions).toEqual({ DBInstanceIdentifier: env.names.databaseInstanceIdentifier });
    // The canary's queries are the analysis template's, for a chosen hash.
    const template = (find(objectsOf(name), 'AnalysisTemplate') as Json[])[0];
    const analysis = template.spec.metrics.map((m: Json) => m.provider.prometheus.query);
    const queries = panels(canary).flatMap((panel) => panel.targets.map((t: Json) => t.expr));
    for (const query of analysis) {
      expect(queries).toContain(query.replaceAll('{{args.canary-hash}}', '$canary'));
    }
  });
});

describe('dashboards: the Managed Grafana instance appears once its URL is in config', () => {
  const grafanas = (url: string | null) => {
    const ctx = deployContext(config, 'dev');
    const withUrl = {
      ...ctx,
      env: { ...ctx.env, observability: { ...ctx.env.observability, grafanaWorkspaceUrl: url } },
    };
    return find(Testing.synth(new DashboardsChart(new App(), withUrl)) as Json[], 'Grafana') as Json[];
  };
  it('none while the URL is unset (the committed config), one pointing at it when set', () => {
    expect(grafanas(null)).toEqual([]);
    const url = 'https://g-abc123.grafana-workspace.us-east-1.amazonaws.com';
    const [grafana] = grafanas(url);
    expect(grafana.spec.external).toEqual({ url, apiKey: { name: 'grafana-operator-token', key: 'token' } });
    expect(grafana.metadata.labels).toMatchObject(GRAFANA_INSTANCE_LABEL);
  });
});
