/**
 * The one writer of docs/benchmarks.md. Every part's bench measures, then hands the body of its section to this CLI
 * as a process (the Python API bench as well as the TypeScript ones), so every section is replaced the same way and
 * states the machine it ran on the same way.
 *
 *   node --import tsx docs/tools/bench-section.ts --section "API" --load-at-start 1.4 < body.md
 *     [--doc <file>]   another file than docs/benchmarks.md (the tests use a temporary one)
 *
 * It writes `## <section>`, one line with the date and the machine (CPU model, cores, memory, and the 1-minute load
 * average the bench read when it started: the writer only runs at the end), then the body, formatted by Biome so
 * tables line up. The section of that name is replaced up to the next `## ` heading, or appended; every other byte of
 * the file stays as it was. A body with a `#` or `## ` heading is refused: it would start another section.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const BENCHMARKS_DOC = join(REPO_ROOT, 'docs', 'benchmarks.md');

export class BenchSectionError extends Error {}

export interface Machine {
  /** UTC date of the run, YYYY-MM-DD. */
  date: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  /** 1-minute load average when the bench started (the machine is shared: figures are read against it). */
  loadAtStart: number;
}

export function readMachine(loadAtStart: number, now = new Date()): Machine {
  const cores = cpus();
  return {
    date: now.toISOString().slice(0, 10),
    cpuModel: cores[0]?.model.trim() || 'unknown CPU',
    cores: cores.length,
    memoryBytes: totalmem(),
    loadAtStart,
  };
}

export function machineLine(machine: Machine): string {
  const memory = (machine.memoryBytes / 1024 ** 3).toFixed(1);
  return (
    `Run on ${machine.date}: ${machine.cpuModel}, ${machine.cores} cores, ${memory} GiB memory; ` +
    `1-minute load average ${machine.loadAtStart.toFixed(1)} at the start.`
  );
}

/** `## <name>`, the machine line and the body; refuses a body that would start a section of its own. */
export function composeSection(name: string, machine: Machine, body: string): string {
  checkName(name);
  const heading = body.split('\n').find((line) => /^#{1,2} /.test(line));
  if (heading !== undefined) {
    throw new BenchSectionError(
      `the body of "## ${name}" contains the heading "${heading}": it would start another section (use ### inside a section)`,
    );
  }
  const text = body.trim();
  if (!text) throw new BenchSectionError(`the body of "## ${name}" is empty`);
  return `## ${name}\n\n${machineLine(machine)}\n\n${text}\n`;
}

/**
 * `doc` with the `## <name>` block (up to the next `## ` heading or the end) replaced by `section`, or with `section`
 * appended after one blank line. Only a line that is exactly the heading matches (`## API` is not `## API history`).
 */
export function replaceSection(doc: string, name: string, section: string): string {
  checkName(name);
  const heading = `## ${name}`;
  const starts: number[] = [];
  let offset = 0;
  for (const line of doc.split('\n')) {
    if (line === heading) starts.push(offset);
    offset += line.length + 1;
  }
  if (starts.length > 1) throw new BenchSectionError(`"${heading}" appears ${starts.length} times in the document`);
  const start = starts[0];
  if (start === undefined) return `${doc.trimEnd()}\n\n${section}`;
  const next = doc.indexOf('\n## ', start + heading.length);
  return next < 0 ? `${doc.slice(0, start)}${section}` : `${doc.slice(0, start)}${section}\n${doc.slice(next + 1)}`;
}

function checkName(name: string): void {
  if (!name.trim() || name !== name.trim() || name.includes('\n') || name.startsWith('#')) {
    throw new BenchSectionError(`--section: "${name}" is not a heading's text (one line, no leading #)`);
  }
}

/** The section formatted as Biome formats Markdown (aligned tables), so every part's section reads the same. */
function formatMarkdown(text: string): string {
  // The stdin path only tells Biome the language; nothing is read from or written to it.
  const done = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'biome'), ['format', '--stdin-file-path=section.md'], {
    cwd: REPO_ROOT,
    input: text,
    encoding: 'utf8',
  });
  if (done.status !== 0) {
    throw new BenchSectionError(
      `biome format failed: ${(done.stderr || done.error?.message || '').trim().split('\n')[0]}`,
    );
  }
  return done.stdout;
}

function parse(argv: string[]): { section: string; loadAtStart: number; doc: string } {
  const { values } = parseArgs({
    args: argv,
    options: { section: { type: 'string' }, 'load-at-start': { type: 'string' }, doc: { type: 'string' } },
  });
  if (values.section === undefined) throw new BenchSectionError('--section is required (the text after "## ")');
  const load = values['load-at-start'];
  if (load === undefined || !/^\d+(\.\d+)?$/.test(load)) {
    throw new BenchSectionError(`--load-at-start: expected the 1-minute load average as a number, got "${load ?? ''}"`);
  }
  return { section: values.section, loadAtStart: Number(load), doc: resolve(values.doc ?? BENCHMARKS_DOC) };
}

function main(argv: string[]): number {
  try {
    const { section, loadAtStart, doc } = parse(argv);
    const text = formatMarkdown(composeSection(section, readMachine(loadAtStart), readFileSync(0, 'utf8')));
    writeFileSync(doc, replaceSection(readFileSync(doc, 'utf8'), section, text));
    process.stdout.write(text);
    return 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    // Bad arguments and a missing document are the caller's mistakes: one line, not a stack trace.
    if (!(error instanceof BenchSectionError || code === 'ENOENT' || code.startsWith('ERR_PARSE_ARGS'))) throw error;
    process.stderr.write(`bench-section: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] === import.meta.filename) process.exitCode = main(process.argv.slice(2));
