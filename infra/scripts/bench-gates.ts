/**
 * `make bench-infra`: times `make synth` and each infra gate separately (every gate over the same infra/cdk.out, so
 * synth is counted once), RUNS times (default 3), and hands the median table as the `## Infrastructure gates` section
 * to docs/tools/bench-section.ts, the one writer of docs/benchmarks.md. Wall-clock figures are recorded, never asserted.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { INFRA_DIR } from '../lib/app-context.ts';

const ROOT = join(INFRA_DIR, '..');
const RUNS = Number(process.env.RUNS ?? 3);
const TOOLS = join(ROOT, '.tools', 'infra');
const loadAtStart = loadavg()[0] ?? 0;

/** Each step: what the gate runs, without re-running synth (the make targets depend on synth). */
const STEPS: { name: string; command: string }[] = [
  { name: '`make synth` (cdk synth --no-lookups, every stack, cdk-nag inside)', command: 'make -s synth' },
  {
    name: 'second synth + byte comparison (synth-repeatable)',
    command:
      'again=$(mktemp -d) && (cd infra && CDK_DISABLE_CLI_TELEMETRY=true cdk synth --no-lookups --quiet --no-notices -o "$again" >/dev/null 2>&1) && diff -r infra/cdk.out "$again" >/dev/null; rc=$?; rm -rf "$again"; exit $rc',
  },
  { name: 'cdk-nag report (infra-nag)', command: 'cd infra && npx tsx scripts/nag-report.ts' },
  {
    name: 'cfn-lint (infra-cfn-lint)',
    command: `${TOOLS}/cfn-lint/bin/cfn-lint --config-file infra/tools/cfnlintrc.yaml --format parseable -- infra/cdk.out/*.template.json`,
  },
  {
    name: 'checkov + skips (infra-checkov)',
    command: `mkdir -p infra/.reports && { ${TOOLS}/checkov/bin/checkov $(for f in infra/cdk.out/*.template.json; do printf -- '-f %s ' "$f"; done) --framework cloudformation --skip-download --quiet --compact -o json >infra/.reports/checkov-report.json 2>/dev/null || true; } && cd infra && npx tsx scripts/checkov-gate.ts .reports/checkov-report.json .reports/checkov-summary.json`,
  },
  {
    name: 'architecture diagram drift (infra-docs-check)',
    command: 'cd infra && npx tsx scripts/architecture-diagram.ts --check',
  },
];

function time(command: string): number {
  const start = process.hrtime.bigint();
  execFileSync('bash', ['-eu', '-o', 'pipefail', '-c', command], { cwd: ROOT, stdio: 'ignore', env: process.env });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const results = STEPS.map((step) => ({ ...step, runs: [] as number[] }));
for (let run = 0; run < RUNS; run++) {
  for (const step of results) step.runs.push(time(step.command));
}
const testRuns: number[] = [];
for (let run = 0; run < RUNS; run++) testRuns.push(time('cd infra && npx vitest run'));

const templates = readFileSync(join(INFRA_DIR, 'cdk.out', 'manifest.json'), 'utf8').match(
  /"aws:cloudformation:stack"/g,
)?.length;
const total = results.reduce((sum, step) => sum + median(step.runs), 0);
const format = (s: number) => `${s.toFixed(1)} s`;
const body = [
  `Measured by \`make bench-infra\`, Node ${process.version}, ` +
    `over all ${templates} stacks (dev, staging, prod and the foundations); median of ${RUNS} run(s), steps run one after ` +
    `another; 1-minute load average ${loadavg()[0]?.toFixed(1)} when it finished (other parts' jobs share the machine).`,
  '',
  '| Step | Median | Runs |',
  '| --- | --- | --- |',
  ...results.map(
    (step) => `| ${step.name} | ${format(median(step.runs))} | ${step.runs.map((r) => r.toFixed(1)).join(', ')} |`,
  ),
  `| **all gates of all environments** (sum of the medians above) | **${format(total)}** | target ≤ 60 s |`,
  `| \`make test-infra\` assertion tests (vitest, all files) | ${format(median(testRuns))} | ${testRuns.map((r) => r.toFixed(1)).join(', ')} |`,
  '',
].join('\n');

execFileSync(
  process.execPath,
  [
    '--import',
    'tsx',
    'docs/tools/bench-section.ts',
    '--section',
    'Infrastructure gates',
    '--load-at-start',
    `${loadAtStart}`,
  ],
  { cwd: ROOT, input: body, stdio: ['pipe', 'inherit', 'inherit'] },
);
