/**
 * `make bench-foundations`: how long the foundations' own checks take, handed as the "Organization foundations"
 * section to docs/tools/bench-section.ts, the one writer of docs/benchmarks.md. Nothing here is asserted; the machine
 * is shared, so medians of a few runs.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { testApp } from '../../lib/app-context.ts';
import { addFoundationStacks } from '../../lib/foundations/index.ts';
import { ACTION_LEVEL_KINDS, baselineDecisions, flippedBy, guardrailMutations } from './mutation-sweep.ts';
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

const loadAtStart = loadavg()[0] ?? 0;
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
const actionLevel = mutations.filter((mutation) => ACTION_LEVEL_KINDS.includes(mutation.kind)).length;
let simulations = 0;
const sweepTimes = await timed(3, async () => {
  simulations = 0;
  for (const { mutation, actions } of mutations) {
    simulations += (await flippedBy(policies, baseline, mutation, actions)).simulations;
  }
});
const infraDir = join(import.meta.dirname, '..', '..');
const suiteTimes = await timed(1, () =>
  execFileSync('npx', ['vitest', 'run', 'test/foundations'], { cwd: infraDir, stdio: 'ignore' }),
);

const ms = (values: number[]) => values.map((value) => value.toFixed(0)).join(', ');
const perSimulation = median(sweepTimes) / simulations;
const body = `Measured by \`make bench-foundations\`, Node ${process.version};
iam-simulate 0.1.173 in Strict mode. Nothing here is asserted.

| Step | Median | Runs (ms) |
| --- | --- | --- |
| synthesize the ${stackCount} foundations stacks in process | ${median(synthTimes).toFixed(0)} ms | ${ms(synthTimes)} |
| evaluate the scenario table once (${SCENARIOS.length} scenarios) | ${median(tableTimes).toFixed(0)} ms | ${ms(tableTimes)} |
| mutation sweep (${mutations.length} guardrails removed one by one, ${actionLevel} of them an action or condition key of a Deny statement, ${simulations} re-evaluations) | ${median(sweepTimes).toFixed(0)} ms | ${ms(sweepTimes)} |
| \`make test-foundations\` suite (vitest start, 3 files, each synthesizes) | ${(median(suiteTimes) / 1000).toFixed(1)} s | ${ms(suiteTimes)} |

One simulation costs about ${perSimulation.toFixed(2)} ms in the sweep; most of the suite's time is importing
aws-cdk-lib and synthesizing, once per test file.
`;

execFileSync(
  process.execPath,
  [
    '--import',
    'tsx',
    'docs/tools/bench-section.ts',
    '--section',
    'Organization foundations',
    '--load-at-start',
    `${loadAtStart}`,
  ],
  { cwd: join(infraDir, '..'), input: body, stdio: ['pipe', 'inherit', 'inherit'] },
);
