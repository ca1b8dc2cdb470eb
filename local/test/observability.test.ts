/**
 * The local observability side: the flag, and Debian's Prometheus really started as `make up OBSERVABILITY=1`
 * starts it (loopback only), scraping an API-shaped /metrics with the cluster's namespace label, loading the same
 * rule files AMP gets, and the dashboards' panels drawn as PNGs from what it scraped.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards } from '../../deploy/src/dashboards/dashboards.ts';
import { deployContext } from '../../deploy/src/render.ts';
import { lineChartSvg, renderPanels } from '../src/observability/panels.ts';
import {
  DEFAULT_PROMETHEUS_BIN,
  LOCAL_ENVIRONMENT,
  observabilityEnabled,
  prometheusCommand,
  prometheusConfig,
} from '../src/observability/prometheus.ts';
import { type Child, startChild } from '../src/supervisor/child.ts';
import { freePort } from '../src/supervisor/ports.ts';
import { waitUntilReady } from '../src/supervisor/readiness.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const RULES = join(REPO_ROOT, 'infra', 'alert-rules', LOCAL_ENVIRONMENT, 'api-slo.rules.yaml');

describe('OBSERVABILITY: off by default, 1 turns it on, anything else is a one-line error', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['1', true],
  ])('%s → %s', (value, enabled) => {
    expect(observabilityEnabled(value === undefined ? {} : { OBSERVABILITY: value })).toBe(enabled);
  });
  it.each(['yes', 'true', '2'])('%s is refused', (value) => {
    expect(() => observabilityEnabled({ OBSERVABILITY: value })).toThrow(
      `OBSERVABILITY must be 0 or 1, got "${value}"`,
    );
  });
});

describe('the Prometheus config: the API with the cluster labels, the AMP rule files', () => {
  it('scrapes the given target with namespace and pod labels and loads the rule files', () => {
    const config = prometheusConfig({ apiTarget: '127.0.0.1:1234', namespace: 'api', ruleFiles: [RULES] }) as never as {
      rule_files: string[];
      scrape_configs: { static_configs: { targets: string[]; labels: Record<string, string> }[] }[];
    };
    expect(config.rule_files).toEqual([RULES]);
    expect(config.scrape_configs[0]?.static_configs[0]).toEqual({
      targets: ['127.0.0.1:1234'],
      labels: { namespace: 'api', pod: 'local' },
    });
  });
});

describe('an SVG panel', () => {
  it('draws each series, its legend, and the threshold line', () => {
    const svg = lineChartSvg(
      'p99',
      [
        {
          label: '/api/tasks',
          points: [
            [0, 0.1],
            [60, 0.3],
          ],
        },
      ],
      's',
      0.5,
    );
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg).toContain('/api/tasks');
    expect(svg).toContain('stroke-dasharray'); // the threshold
  });
});

describe("Debian's Prometheus, started as make up starts it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-observability-'));
  let api: Server;
  let prometheus: Child;
  let url = '';
  // What the API's /metrics looks like (prometheus_client text format), with a route and the readiness probe.
  const metrics = [
    '# TYPE http_requests_total counter',
    'http_requests_total{method="GET",route="/api/v1/projects",status="200"} 42',
    'http_requests_total{method="GET",route="/readyz",status="200"} 7',
    '# TYPE db_pool_size gauge',
    'db_pool_size 4',
    '# TYPE db_pool_checked_out gauge',
    'db_pool_checked_out 1',
    '',
  ].join('\n');

  beforeAll(async () => {
    api = createServer((_, response) => response.end(metrics));
    const apiPort = await freePort();
    await new Promise<void>((done) => api.listen(apiPort, '127.0.0.1', done));
    const port = await freePort();
    const { command, args } = prometheusCommand(join(dir, 'prometheus'), port, {
      apiTarget: `127.0.0.1:${apiPort}`,
      namespace: 'api',
      ruleFiles: [RULES],
    });
    expect(command).toBe(DEFAULT_PROMETHEUS_BIN);
    expect(args).toContain(`--web.listen-address=127.0.0.1:${port}`);
    prometheus = startChild({ name: 'prometheus', command, args, cwd: dir, env: process.env, onLine: () => {} });
    url = `http://127.0.0.1:${port}`;
    await waitUntilReady(`${url}/-/ready`, { timeoutMs: 30_000, stillWorthWaiting: prometheus.running });
  }, 40_000);

  afterAll(async () => {
    await prometheus?.stop({ signal: 'SIGTERM', group: false, graceMs: 10_000 });
    api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads every AMP alerting rule of the environment, all healthy', async () => {
    const answer = (await (await fetch(`${url}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string; health: string }[] }[] };
    };
    const rules = answer.data.groups.flatMap((group) => group.rules);
    const expected = readFileSync(RULES, 'utf8').match(/^ {6}- alert: /gm)?.length;
    expect(rules.length).toBe(expected);
    expect(rules.map((rule) => rule.name)).toContain('ApiNoReadyTargets');
  });

  it('scrapes the API with the namespace label the rules select on, and draws the panels', async () => {
    const query = `${url}/api/v1/query?query=${encodeURIComponent('http_requests_total{namespace="api",route="/readyz"}')}`;
    let found = 0;
    for (let attempt = 0; attempt < 40 && found === 0; attempt += 1) {
      const answer = (await (await fetch(query)).json()) as { data: { result: unknown[] } };
      found = answer.data.result.length;
      if (found === 0) await new Promise((done) => setTimeout(done, 1000));
    }
    expect(found).toBe(1);

    const ctx = deployContext(loadPlatformConfig(), LOCAL_ENVIRONMENT);
    const dashboards = buildDashboards(ctx).filter((dashboard) => dashboard.uid === 'api');
    const panels = await renderPanels(url, dashboards, join(dir, 'panels'), 5);
    expect(panels.files.length).toBeGreaterThan(0);
    for (const file of panels.files.filter((name) => name.endsWith('.png'))) {
      expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    }
    expect(
      panels.files.some((name) => name.endsWith('.png')),
      'Chromium turned the panels into PNGs',
    ).toBe(true);
    expect(readFileSync(join(dir, 'panels', 'index.html'), 'utf8')).toContain('<img src="api-');
  }, 90_000);
});
