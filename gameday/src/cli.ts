/**
 * `make gameday [DRILL=<name>]`: runs the drills against the real local system and writes the report to
 * .artifacts/gameday/report.md and report.json (git-ignored), then prints the Markdown. Exit 0 when every drill met
 * its pass criteria, 1 when one did not, 2 on a usage error (one line).
 *
 *   node --import tsx gameday/src/cli.ts [--drill <name>] [--report-dir <folder>]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DRILL_NAMES, type DrillName, type DrillOutcome, passed } from './drill.ts';
import { DRILLS } from './registry.ts';
import { type RunReport, toMarkdown } from './report.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

function usage(message: string): never {
  process.stderr.write(`gameday: ${message}\n`);
  process.exit(2);
}

function parse(): { drills: DrillName[]; reportDir: string } {
  let values: { drill?: string; 'report-dir'?: string };
  try {
    ({ values } = parseArgs({
      options: { drill: { type: 'string' }, 'report-dir': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const wanted = values.drill?.trim();
  if (wanted && !(DRILL_NAMES as readonly string[]).includes(wanted)) {
    usage(`no drill named "${wanted}"; the drills are: ${DRILL_NAMES.join(', ')}`);
  }
  return {
    drills: wanted ? [wanted as DrillName] : [...DRILL_NAMES],
    reportDir: resolve(REPO_ROOT, values['report-dir'] ?? join('.artifacts', 'gameday')),
  };
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

async function runOne(name: DrillName): Promise<DrillOutcome & { seconds: number }> {
  const drill = DRILLS[name];
  const started = performance.now();
  const log = (line: string) =>
    process.stdout.write(`[${name} +${((performance.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
  if (!drill) {
    return { ...notRun(name, 'this drill is not built yet'), seconds: 0 };
  }
  const workDir = mkdtempSync(join(tmpdir(), `gameday-${name}-`));
  log(drill.title);
  try {
    const outcome = await drill.run({ repoRoot: REPO_ROOT, workDir, log });
    log(passed(outcome) ? 'passed' : `FAILED: ${outcome.failures.join('; ')}`);
    return { ...outcome, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    log(`FAILED: ${(error as Error).message}`);
    return {
      ...notRun(name, `the drill stopped: ${(error as Error).message}`),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function notRun(name: DrillName, why: string): DrillOutcome {
  return {
    name,
    summary: why,
    requests: { sent: 0, failed: 0 },
    writes: { acknowledged: 0, lost: 0, doubled: 0 },
    dataLost: 'unknown',
    figures: {},
    failures: [why],
  };
}

async function main(): Promise<void> {
  const { drills, reportDir } = parse();
  for (const required of [join('api', '.venv', 'bin', 'innovate-api'), join('web', 'dist', 'index.html')]) {
    if (!existsSync(join(REPO_ROOT, required)))
      usage(`${required} is missing: run make gameday (it installs and builds first)`);
  }
  const report: RunReport = {
    startedAt: new Date().toISOString(),
    commit: commit(),
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    drills: [],
  };
  for (const name of drills) report.drills.push(await runOne(name));
  mkdirSync(reportDir, { recursive: true });
  const markdown = toMarkdown(report);
  writeFileSync(join(reportDir, 'report.md'), markdown);
  writeFileSync(join(reportDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${markdown}\nReport: ${join(reportDir, 'report.md')} and report.json\n`);
  process.exit(report.drills.every(passed) ? 0 : 1);
}

await main();
