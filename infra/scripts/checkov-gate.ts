/**
 * `make infra-checkov`: reads checkov's JSON report over infra/cdk.out, applies the reasoned skips of
 * infra/tools/checkov-skips.json, prints and writes the counts, and fails on any unskipped finding or stale skip.
 *
 * Usage: tsx scripts/checkov-gate.ts <checkov-report.json> <summary-out.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { INFRA_DIR } from '../lib/app-context.ts';

interface Skip {
  check: string;
  resource: string;
  environments?: string[];
  reason: string;
}
interface Finding {
  check_id: string;
  resource: string;
  file_path: string;
}
interface Report {
  check_type: string;
  summary: { passed: number; failed: number };
  results: { failed_checks: Finding[] };
}

const [reportPath, summaryPath] = process.argv.slice(2);
if (!reportPath || !summaryPath) {
  process.stderr.write('usage: checkov-gate <checkov-report.json> <summary-out.json>\n');
  process.exit(2);
}
const raw = JSON.parse(readFileSync(reportPath, 'utf8')) as Report | Report[];
const reports = Array.isArray(raw) ? raw : [raw];
const { skips } = JSON.parse(readFileSync(join(INFRA_DIR, 'tools/checkov-skips.json'), 'utf8')) as { skips: Skip[] };

const used = new Set<Skip>();
const unskipped: string[] = [];
let passed = 0;
let failed = 0;
for (const report of reports) {
  passed += report.summary.passed;
  failed += report.summary.failed;
  for (const finding of report.results.failed_checks) {
    // innovate-prod-cluster.template.json → env "prod", part "cluster"
    const [, env = '', ...part] = basename(finding.file_path, '.template.json').split('-');
    const subject = `${part.join('-')}/${finding.resource}`;
    const skip = skips.find(
      (s) =>
        new RegExp(`^(${s.check})$`).test(finding.check_id) &&
        new RegExp(s.resource).test(subject) &&
        (!s.environments || s.environments.includes(env)),
    );
    if (skip) used.add(skip);
    else unskipped.push(`${finding.check_id} ${env}/${subject}`);
  }
}
const stale = skips.filter((skip) => !used.has(skip));
const summary = {
  passed,
  failed,
  skipped: failed - unskipped.length,
  unskipped: unskipped.length,
  staleSkips: stale.length,
};
writeFileSync(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(
  `checkov: ${passed} passed, ${failed} failed of which ${summary.skipped} skipped with a reason, ${unskipped.length} unskipped\n`,
);
for (const line of unskipped) process.stderr.write(`checkov: unskipped finding ${line}\n`);
for (const skip of stale)
  process.stderr.write(`checkov: stale skip (matches nothing) ${skip.check} ${skip.resource}\n`);
if (unskipped.length > 0 || stale.length > 0) process.exit(1);
