/**
 * `make infra-nag`: summarises cdk.out/validation-report.json (written by cdk-nag v3 and CDK's own validation during
 * `make synth`). Synth already fails on an unacknowledged finding; this step makes the counts visible and fails if
 * the report is missing or carries a violation anyway.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_DIR } from '../lib/app-context.ts';

interface PluginReport {
  pluginName: string;
  conclusion: string;
  violations: { violatingConstructs: unknown[] }[];
  suppressedViolations?: { violatingConstructs: unknown[] }[];
}

const path = join(INFRA_DIR, 'cdk.out', 'validation-report.json');
if (!existsSync(path)) {
  process.stderr.write(`cdk-nag: ${path} is missing; run make synth (cdk-nag runs inside it)\n`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(path, 'utf8')) as { pluginReports: PluginReport[] };
const count = (items: { violatingConstructs: unknown[] }[] = []) =>
  items.reduce((sum, item) => sum + item.violatingConstructs.length, 0);
let failing = 0;
for (const plugin of report.pluginReports) {
  const open = count(plugin.violations);
  failing += open;
  process.stdout.write(
    `${plugin.pluginName}: ${open} unacknowledged, ${count(plugin.suppressedViolations)} acknowledged (${plugin.conclusion})\n`,
  );
}
// A passing plugin may leave no entry in the report; the acknowledgements recorded in the cloud assembly's
// metadata show what was accepted (and test/nag/nag-checks.test.ts proves a removed acknowledgement fails synth).
const acknowledged = readdirSync(join(INFRA_DIR, 'cdk.out'))
  .filter((file) => file.endsWith('.metadata.json'))
  .flatMap((file) =>
    Object.values(
      JSON.parse(readFileSync(join(INFRA_DIR, 'cdk.out', file), 'utf8')) as {
        type: string;
        data: Record<string, string>;
      }[][],
    ),
  )
  .flat()
  .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
  .flatMap((entry) => Object.keys(entry.data));
const byRule = new Map<string, number>();
for (const id of acknowledged) {
  const rule = id.replace(/^[^:]*::/, '').replace(/\[.*$/, '');
  byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
}
process.stdout.write(
  `acknowledged findings (infra/lib/nag/acknowledgements.ts): ${acknowledged.length} — ${[...byRule].map(([rule, n]) => `${rule} ${n}`).join(', ')}\n`,
);
if (failing > 0) process.exit(1);
