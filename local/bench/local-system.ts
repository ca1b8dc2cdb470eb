/**
 * `make bench-local`: how long the local system takes to come up and to stop, and what the edge adds per request.
 *
 * - start to URL: cold (empty data folder: initdb + all migrations) and warm (existing data), 3 runs each, with the
 *   steps' finishing times `make up` prints for the last warm run;
 * - a baseline in the same run, interleaved with the warm starts: one `import innovate_api.app` in the API's Python
 *   (the largest single piece of a start), so the figures can be read against how busy the machine was;
 * - SIGTERM to exit: every run;
 * - edge overhead: the same GET sequentially through the edge and directly to the API, interleaved in one run,
 *   reported as p50/p99 and a ratio (the machine is shared and noisy; compare within the run).
 *
 * Hands the `## Local system (make up)` section to docs/tools/bench-section.ts, the one writer of docs/benchmarks.md.
 * Nothing here is asserted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MakeUpProcess } from '../src/make-up-process.ts';
import { signInThroughEdge } from '../src/oidc/sign-in.ts';
import { freePort } from '../src/supervisor/ports.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const RUNS = 3;
const REQUESTS = 400;

async function start(dataDir: string): Promise<{ stack: MakeUpProcess; startMs: number }> {
  const stack = new MakeUpProcess({ repoRoot: REPO_ROOT, dataDir, port: await freePort() });
  const began = performance.now();
  await stack.start();
  return { stack, startMs: performance.now() - began };
}

async function stop(stack: MakeUpProcess): Promise<number> {
  const began = performance.now();
  await stack.stop();
  return performance.now() - began;
}

/** One `import innovate_api.app` in the API's environment, as `make up`'s Python does it (uv run included). */
function apiImportMs(): number {
  const local = join(REPO_ROOT, '.tools', 'bin', 'uv');
  const began = performance.now();
  const result = spawnSync(
    existsSync(local) ? local : 'uv',
    ['run', '--frozen', '--quiet', 'python', '-c', 'import innovate_api.app'],
    { cwd: join(REPO_ROOT, 'api'), env: { ...process.env, UV_PYTHON_DOWNLOADS: 'never' }, stdio: 'ignore' },
  );
  if (result.status !== 0) throw new Error(`importing innovate_api.app failed (exit ${result.status})`);
  return performance.now() - began;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const median = (values: number[]) => percentile(values, 50);

async function timeGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  const began = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return performance.now() - began;
}

async function main() {
  const loadAtStart = loadavg()[0] ?? 0;
  const cold: number[] = [];
  const warm: number[] = [];
  const stops: number[] = [];
  const imports: number[] = [];
  let steps = '';
  const warmDir = join(mkdtempSync(join(tmpdir(), 'bench-local-')), 'data');
  for (let run = 0; run < RUNS; run++) {
    // The first cold run's folder is kept for the warm runs.
    const dir = run === 0 ? warmDir : join(mkdtempSync(join(tmpdir(), 'bench-local-cold-')), 'data');
    const { stack, startMs } = await start(dir);
    cold.push(startMs);
    stops.push(await stop(stack));
    if (dir !== warmDir) rmSync(dir, { recursive: true, force: true });
  }
  let overhead = { edge: [] as number[], direct: [] as number[], spa: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    imports.push(apiImportMs());
    const { stack, startMs } = await start(warmDir);
    warm.push(startMs);
    if (run === RUNS - 1) {
      steps = /^\[up\]\s+started in .*$/m.exec(stack.output())?.[0].replace(/^\[up\]\s+/, '') ?? '';
      const auth = { Authorization: await signInThroughEdge(stack.url, stack.credentials) };
      // Some rows to list, then interleave edge and direct so both see the same machine noise.
      for (let i = 0; i < 20; i++) {
        await fetch(`${stack.url}/api/v1/projects`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...auth },
          body: JSON.stringify({ name: `bench ${Date.now()} ${i}` }),
        });
      }
      const path = '/api/v1/projects?limit=20';
      for (let i = 0; i < 20; i++) await timeGet(`${stack.url}${path}`, auth); // warm-up
      overhead = { edge: [], direct: [], spa: [] };
      for (let i = 0; i < REQUESTS; i++) {
        overhead.edge.push(await timeGet(`${stack.url}${path}`, auth));
        overhead.direct.push(await timeGet(`${stack.apiOrigin}${path}`, auth));
        overhead.spa.push(await timeGet(`${stack.url}/projects/some-client-route`));
      }
    }
    stops.push(await stop(stack));
  }
  rmSync(warmDir, { recursive: true, force: true });
  const loadAtEnd = loadavg()[0] ?? 0;

  const ms = (v: number) => `${v < 10 ? v.toFixed(2) : Math.round(v)} ms`;
  const s = (v: number) => `${(v / 1000).toFixed(1)} s`;
  const list = (values: number[]) => values.map((v) => (v / 1000).toFixed(1)).join(', ');
  const body = `Measured by \`make bench-local\`, Node ${process.version}; 1-min load average ${loadAtEnd.toFixed(1)} at the end
(the machine is shared: read the starts against the baseline row of the same run). The supervisor started as \`make up\`
runs it (after \`make deps\` and the SPA build), on a free port. Nothing here is asserted.

| Step | Median | Runs (s) |
| --- | --- | --- |
| start → URL printed, empty data folder (initdb, all migrations, API ready) | ${s(median(cold))} | ${list(cold)} |
| start → URL printed, existing data folder (warm) | ${s(median(warm))} | ${list(warm)} |
| baseline: one \`import innovate_api.app\` (uv run python), before each warm start | ${s(median(imports))} | ${list(imports)} |
| SIGTERM → every process stopped, exit 0 | ${s(median(stops))} | ${list(stops)} |

Warm start at ${(median(warm) / median(imports)).toFixed(1)}× the baseline. The last warm run's own account: ${steps}.

Per request, signed in, ${REQUESTS} sequential GETs each, interleaved in one run (keep-alive client on loopback):

| Request | p50 | p99 |
| --- | --- | --- |
| \`GET /api/v1/projects?limit=20\` through the edge | ${ms(median(overhead.edge))} | ${ms(percentile(overhead.edge, 99))} |
| the same, directly to gunicorn | ${ms(median(overhead.direct))} | ${ms(percentile(overhead.direct, 99))} |
| \`GET /projects/<id>\` (SPA fallback → index.html) from the edge | ${ms(median(overhead.spa))} | ${ms(percentile(overhead.spa, 99))} |

Edge overhead at p50: ${ms(median(overhead.edge) - median(overhead.direct))} (edge/direct p50 ratio ${(median(overhead.edge) / median(overhead.direct)).toFixed(2)}).
`;
  execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'docs/tools/bench-section.ts',
      '--section',
      'Local system (make up)',
      '--load-at-start',
      `${loadAtStart}`,
    ],
    { cwd: REPO_ROOT, input: body, stdio: ['pipe', 'inherit', 'inherit'] },
  );
}

await main();
