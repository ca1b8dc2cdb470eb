/**
 * `make bench-deploy`: times each deploy gate (median of N runs, same machine, one after another) and hands the
 * "Kubernetes delivery" section to docs/tools/bench-section.ts, the one writer of docs/benchmarks.md. Ratios between
 * the gates matter more than absolute numbers.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/layout.ts';
import { OPA } from '../policy/opa.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const loadAtStart = loadavg()[0] ?? 0;
const DEPLOY = join(REPO_ROOT, 'deploy');
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const GATES: Array<[string, string, string[]]> = [
  ['render drift check (3 envs)', TSX, ['src/render-cli.ts', 'check']],
  ['schema + strict field validation (3 envs)', TSX, ['checks/cli.ts', 'validate']],
  ['Pod Security + Gatekeeper evaluation of the render (3 envs)', TSX, ['checks/cli.ts', 'policies']],
  ['opa test (all policies)', TSX, ['checks/policy/opa.ts', 'test']],
];

function time(command: string, args: string[]): number {
  const started = performance.now();
  execFileSync(command, args, { cwd: DEPLOY, stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const rows = GATES.map(([name, command, args]) => {
  const samples = Array.from({ length: RUNS }, () => time(command, args));
  return `| ${name} | ${median(samples).toFixed(1)} s | ${samples.map((s) => s.toFixed(1)).join(', ')} |`;
});
const opaVersion = `OPA ${execFileSync(OPA, ['version'], { encoding: 'utf8' }).split('\n')[0]?.replace('Version: ', '')}`;
const load = loadavg()[0]?.toFixed(1);
const body = [
  `Measured by \`make bench-deploy\`, Node ${process.version}, ${opaVersion}; median of ${RUNS} runs, each gate run alone; 1-minute load average ${load} when it finished (other parts' jobs share the machine).`,
  '',
  '| Gate | Median | Runs |',
  '| --- | --- | --- |',
  ...rows,
  '',
  'Building OPA from the Go module proxy (`make deps-opa`, first time only) with an empty Go build cache took',
  '5 min 41 s wall and 0.7 GB peak memory (measured once on 2026-11-28 at `nice 19`, load average ≈12, modules',
  'already downloaded); it is cached in `.tools/bin` afterwards and a fresh clone with a warm Go cache builds it in',
  'seconds. A fresh clone ran `make check-deploy test-deploy test-config` in 96 s (npm ci included).',
  '',
].join('\n');

execFileSync(
  process.execPath,
  [
    '--import',
    'tsx',
    'docs/tools/bench-section.ts',
    '--section',
    'Kubernetes delivery (deploy/)',
    '--load-at-start',
    `${loadAtStart}`,
  ],
  { cwd: REPO_ROOT, input: body, stdio: ['pipe', 'inherit', 'inherit'] },
);
