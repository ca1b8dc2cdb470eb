/**
 * Starts the local observability side once the API is ready (`make up OBSERVABILITY=1`): Prometheus on a free
 * loopback port, then the generated dashboards' Prometheus panels drawn as PNGs every minute into
 * <data dir>/observability/panels/. Returns the two places to look, for up.ts to print.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { buildDashboards } from '../../../deploy/src/dashboards/dashboards.ts';
import { deployContext } from '../../../deploy/src/render.ts';
import type { Child } from '../supervisor/child.ts';
import { freePort } from '../supervisor/ports.ts';
import { waitUntilReady } from '../supervisor/readiness.ts';
import { renderPanels } from './panels.ts';
import { DEFAULT_PROMETHEUS_BIN, LOCAL_ENVIRONMENT, prometheusCommand } from './prometheus.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
/** The dashboards whose panels are drawn locally (the others read CloudWatch, which has no local stand-in). */
const LOCAL_DASHBOARDS = ['api', 'canary'];
const RENDER_EVERY_MS = 60_000;

export interface ObservabilityStart {
  apiTarget: string;
  dataDir: string;
  spawn: (command: string, args: string[]) => Child;
  say: (line: string) => void;
}

export async function startObservability(start: ObservabilityStart): Promise<{ prometheus: string; panels: string }> {
  const binary = process.env.PROMETHEUS_BIN?.trim() || DEFAULT_PROMETHEUS_BIN;
  if (!existsSync(binary)) {
    throw new Error(`OBSERVABILITY=1 needs Prometheus at ${binary}: run make deps-prometheus, or set PROMETHEUS_BIN`);
  }
  const ctx = deployContext(loadPlatformConfig(), LOCAL_ENVIRONMENT);
  const ruleFile = join(REPO_ROOT, 'infra', 'alert-rules', LOCAL_ENVIRONMENT, 'api-slo.rules.yaml');
  const dir = join(start.dataDir, 'observability');
  const port = await freePort();
  const { command, args } = prometheusCommand(
    join(dir, 'prometheus'),
    port,
    { apiTarget: start.apiTarget, namespace: ctx.env.names.apiNamespace, ruleFiles: [ruleFile] },
    binary,
  );
  const child = start.spawn(command, args);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/-/ready`, { timeoutMs: 30_000, stillWorthWaiting: child.running });

  const dashboards = buildDashboards(ctx).filter((dashboard) => LOCAL_DASHBOARDS.includes(dashboard.uid ?? ''));
  const panels = join(dir, 'panels');
  const draw = () =>
    renderPanels(url, dashboards, panels).catch((error: Error) => start.say(`panels: ${error.message}`));
  void draw();
  setInterval(draw, RENDER_EVERY_MS).unref();
  return { prometheus: url, panels: join(panels, 'index.html') };
}
