/**
 * `make bench-local`: how long the local system takes to come up and to stop, and what the edge adds per request.
 *
 * - start to URL: cold (empty data folder: initdb + all migrations) and warm (existing data), 3 runs each;
 * - SIGTERM to exit: every run;
 * - edge overhead: the same GET sequentially through the edge and directly to the API, interleaved in one run,
 *   reported as p50/p99 and a ratio (the machine is shared and noisy; compare within the run).
 *
 * Writes the `## Local system (make up)` section of docs/benchmarks.md. Nothing here is asserted.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../src/supervisor/ports.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const RUNS = 3;
const REQUESTS = 400;

interface Stack {
  child: ChildProcess;
  url: string;
  apiOrigin: string;
  startMs: number;
}

async function start(dataDir: string): Promise<Stack> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(await freePort()),
    LOCAL_DATA_DIR: dataDir,
    NO_COLOR: '1',
  };
  delete env.DATABASE_URL;
  const began = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join('local', 'src', 'up.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
      const api = /Listening at: (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url && api) done({ child, url, apiOrigin: api, startMs: performance.now() - began });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => fail(new Error(`the stack exited (${code}) before it was ready:\n${output}`)));
  });
}

async function stop(stack: Stack): Promise<number> {
  const began = performance.now();
  const exited = new Promise<void>((done) => stack.child.on('exit', () => done()));
  stack.child.kill('SIGTERM');
  await exited;
  return performance.now() - began;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const median = (values: number[]) => percentile(values, 50);

async function timeGet(url: string): Promise<number> {
  const began = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return performance.now() - began;
}

async function main() {
  const loadAtStart = loadavg()[0] ?? 0;
  const cold: number[] = [];
  const warm: number[] = [];
  const stops: number[] = [];
  const warmDir = join(mkdtempSync(join(tmpdir(), 'bench-local-')), 'data');
  for (let run = 0; run < RUNS; run++) {
    // The first cold run's folder is kept for the warm runs.
    const dir = run === 0 ? warmDir : join(mkdtempSync(join(tmpdir(), 'bench-local-cold-')), 'data');
    const stack = await start(dir);
    cold.push(stack.startMs);
    stops.push(await stop(stack));
    if (dir !== warmDir) rmSync(dir, { recursive: true, force: true });
  }
  let overhead = { edge: [] as number[], direct: [] as number[], spa: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    const stack = await start(warmDir);
    warm.push(stack.startMs);
    if (run === RUNS - 1) {
      // Some rows to list, then interleave edge and direct so both see the same machine noise.
      for (let i = 0; i < 20; i++) {
        await fetch(`${stack.url}/api/v1/projects`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: `bench ${Date.now()} ${i}` }),
        });
      }
      const path = '/api/v1/projects?limit=20';
      for (let i = 0; i < 20; i++) await timeGet(`${stack.url}${path}`); // warm-up
      overhead = { edge: [], direct: [], spa: [] };
      for (let i = 0; i < REQUESTS; i++) {
        overhead.edge.push(await timeGet(`${stack.url}${path}`));
        overhead.direct.push(await timeGet(`${stack.apiOrigin}${path}`));
        overhead.spa.push(await timeGet(`${stack.url}/projects/some-client-route`));
      }
    }
    stops.push(await stop(stack));
  }
  rmSync(warmDir, { recursive: true, force: true });

  const ms = (v: number) => `${v < 10 ? v.toFixed(2) : Math.round(v)} ms`;
  const s = (v: number) => `${(v / 1000).toFixed(1)} s`;
  const list = (values: number[]) => values.map((v) => (v / 1000).toFixed(1)).join(', ');
  const date = new Date().toISOString().slice(0, 10);
  let section = `## Local system (make up)

Measured by \`make bench-local\` on ${date}, ${cpus().length} cores (1-min load average ${loadAtStart.toFixed(1)} at the start),
Node ${process.version}; the supervisor started as
\`make up\` runs it (after \`make deps\` and the SPA build), on a free port. Nothing here is asserted.

| Step | Median | Runs (s) |
| --- | --- | --- |
| start → URL printed, empty data folder (initdb, all migrations, API ready) | ${s(median(cold))} | ${list(cold)} |
| start → URL printed, existing data folder | ${s(median(warm))} | ${list(warm)} |
| SIGTERM → every process stopped, exit 0 | ${s(median(stops))} | ${list(stops)} |

Per request, ${REQUESTS} sequential GETs each, interleaved in one run (keep-alive client on loopback):

| Request | p50 | p99 |
| --- | --- | --- |
| \`GET /api/v1/projects?limit=20\` through the edge | ${ms(median(overhead.edge))} | ${ms(percentile(overhead.edge, 99))} |
| the same, directly to gunicorn | ${ms(median(overhead.direct))} | ${ms(percentile(overhead.direct, 99))} |
| \`GET /projects/<id>\` (SPA fallback → index.html) from the edge | ${ms(median(overhead.spa))} | ${ms(percentile(overhead.spa, 99))} |

Edge overhead at p50: ${ms(median(overhead.edge) - median(overhead.direct))} (edge/direct p50 ratio ${(median(overhead.edge) / median(overhead.direct)).toFixed(2)}).
`;
  const path = join(REPO_ROOT, 'docs', 'benchmarks.md');
  // Formatted as `make lint` (Biome) wants it, so a fresh run leaves the page lint-clean.
  const formatted = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'biome'),
    ['format', '--stdin-file-path=docs/benchmarks.md'],
    {
      cwd: REPO_ROOT,
      input: section,
      encoding: 'utf8',
    },
  );
  if (formatted.status === 0 && formatted.stdout.trim()) section = formatted.stdout;
  const text = readFileSync(path, 'utf8');
  const heading = '## Local system (make up)';
  const startAt = text.indexOf(heading);
  let updated: string;
  if (startAt === -1) {
    updated = `${text.trimEnd()}\n\n${section}`;
  } else {
    const next = text.indexOf('\n## ', startAt + heading.length);
    updated = text.slice(0, startAt) + section + (next === -1 ? '' : `\n${text.slice(next + 1)}`);
  }
  writeFileSync(path, updated.endsWith('\n') ? updated : `${updated}\n`);
  process.stdout.write(section);
}

await main();
