/**
 * `make bench-cost`: times the model over the real synth (in process, and the CLI end to end) and hands the
 * `## Cost model` section to docs/tools/bench-section.ts, the one writer of docs/benchmarks.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { estimate } from './model.ts';
import { loadPriceTable } from './price-table.ts';
import { readSynth } from './synth.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SYNTH = join(ROOT, 'infra', 'cdk.out');
const RUNS = 5;
const loadAtStart = loadavg()[0] ?? 0;

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const config = loadPlatformConfig();
const prices = loadPriceTable();
const stacks = readSynth(SYNTH);
const resources = stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
const read = Array.from({ length: RUNS }, () => time(() => readSynth(SYNTH)));
const model = Array.from({ length: RUNS }, () => time(() => estimate(stacks, config, prices)));
const cli = Array.from({ length: 3 }, () =>
  time(() => {
    const done = spawnSync(
      'npm',
      ['run', '-s', 'cost', '-w', '@innovate/cost', '--', 'report', '--out', '/tmp/cost-bench'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    if (done.status !== 0) throw new Error(done.stderr);
  }),
);
const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;
const runs = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
const body = `Measured by \`make bench-cost\`, Node ${process.version}, over \`infra/cdk.out\` (${stacks.length} stacks, ${resources} resources); median.

| Step | Median | Runs (ms) |
| --- | --- | --- |
| read the cloud assembly (manifest + templates) | ${ms(read)} | ${runs(read)} |
| price every account (model only, in process) | ${ms(model)} | ${runs(model)} |
| \`cost report\` end to end (npm + tsx start, reports written) | ${ms(cli)} | ${runs(cli)} |

\`cost report\` prices the environments about 30 times (the naive build and each lever, each environment with and
without its off-hours schedule, the capacity curve at 1× to 1000×) in about 2 s of CPU; the wall time above is that on
a loaded 2-core machine (target for a warm \`make cost\`: under 10 s). The synth it re-runs when infra/ or config/
changed is the slow part.
`;
execFileSync(
  process.execPath,
  ['--import', 'tsx', 'docs/tools/bench-section.ts', '--section', 'Cost model', '--load-at-start', `${loadAtStart}`],
  { cwd: ROOT, input: body, stdio: ['pipe', 'inherit', 'inherit'] },
);
