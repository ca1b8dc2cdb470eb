/**
 * `make bench-foundations`: how long the foundations' own checks take, written to the "Organization foundations"
 * section of docs/benchmarks.md. Nothing here is asserted; the machine is shared, so medians of a few runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { testApp } from '../../lib/app-context.ts';
import { addFoundationStacks } from '../../lib/foundations/index.ts';
import { baselineDecisions, flippedBy, guardrailMutations } from './mutation-sweep.ts';
import { SCENARIOS } from './policy-scenarios.ts';
import { synthesizedPolicySet } from './policy-set.ts';
import { config } from './synthesized.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
async function timed(runs: number, run: () => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times;
}

let stackCount = 0;
const synthTimes = await timed(3, () => {
  const app = testApp();
  addFoundationStacks(app, config);
  stackCount = app.synth().stacks.length;
});
const policies = synthesizedPolicySet();
const tableTimes = await timed(5, () => baselineDecisions(policies));
const baseline = await baselineDecisions(policies);
const mutations = guardrailMutations(policies);
let simulations = 0;
const sweepTimes = await timed(3, async () => {
  simulations = 0;
  for (const { mutation } of mutations) simulations += (await flippedBy(policies, baseline, mutation)).simulations;
});
const infraDir = join(import.meta.dirname, '..', '..');
const suiteTimes = await timed(1, () =>
  execFileSync('npx', ['vitest', 'run', 'test/foundations'], { cwd: infraDir, stdio: 'ignore' }),
);

const ms = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
const perSimulation = median(sweepTimes) / simulations;
const section = `## Organization foundations

Measured by \`make bench-foundations\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version};
iam-simulate 0.1.173 in Strict mode. Nothing here is asserted.

| Step | Median | Runs (ms) |
| --- | --- | --- |
| synthesize the ${stackCount} foundations stacks in process | ${median(synthTimes).toFixed(0)} ms | ${ms(synthTimes)} |
| evaluate the scenario table once (${SCENARIOS.length} scenarios) | ${median(tableTimes).toFixed(0)} ms | ${ms(tableTimes)} |
| mutation sweep (${mutations.length} guardrails removed one by one, ${simulations} re-evaluations) | ${median(sweepTimes).toFixed(0)} ms | ${ms(sweepTimes)} |
| \`make test-foundations\` suite (vitest start, 3 files, each synthesizes) | ${(median(suiteTimes) / 1000).toFixed(1)} s | ${ms(suiteTimes)} |

One simulation costs about ${perSimulation.toFixed(2)} ms in the sweep; most of the suite's time is importing
aws-cdk-lib and synthesizing, once per test file.
`;

const path = join(infraDir, '..', 'docs', 'benchmarks.md');
const text = readFileSync(path, 'utf8');
const heading = '## Organization foundations';
const start = text.indexOf(heading);
let updated: string;
if (start === -1) {
  updated = `${text.trimEnd()}\n\n${section}`;
} else {
  const next = text.indexOf('\n## ', start + heading.length);
  updated = `${text.slice(0, start)}${section}${next === -1 ? '' : `\n${text.slice(next + 1)}`}`;
}
writeFileSync(path, updated.endsWith('\n') ? updated : `${updated}\n`);
process.stdout.write(section);
