import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BenchSectionError, composeSection, type Machine, machineLine, replaceSection } from './bench-section.ts';

const MACHINE: Machine = {
  date: '2026-12-05',
  cpuModel: 'AMD EPYC 7B13',
  cores: 2,
  memoryBytes: 8 * 1024 ** 3,
  loadAtStart: 1.25,
};

const DOC = [
  '# Benchmarks',
  '',
  'Intro paragraph.',
  '',
  '## Cost model',
  '',
  'old cost figures',
  '',
  '## API',
  '',
  'old API figures',
  '',
  '### a subsection stays inside its section',
  '',
  '## API create-task hot path: measurement history',
  '',
  'history that nobody regenerates',
  '',
].join('\n');

describe('the benchmark section writer', () => {
  it('states the date and the machine the same way for every part', () => {
    expect(machineLine(MACHINE)).toBe(
      'Run on 2026-12-05: AMD EPYC 7B13, 2 cores, 8.0 GiB memory; 1-minute load average 1.3 at the start.',
    );
    expect(composeSection('API', MACHINE, '\n| a | b |\n\nnew\n\n')).toBe(
      `## API\n\n${machineLine(MACHINE)}\n\n| a | b |\n\nnew\n`,
    );
  });

  it('replaces its section up to the next "## " and leaves every other byte as it was', () => {
    const updated = replaceSection(DOC, 'Cost model', '## Cost model\n\nnew cost\n');
    const before = DOC.slice(0, DOC.indexOf('## Cost model'));
    const after = DOC.slice(DOC.indexOf('## API\n'));
    expect(updated).toBe(`${before}## Cost model\n\nnew cost\n\n${after}`);
  });

  it('matches the heading exactly and keeps ### subsections inside the section', () => {
    const updated = replaceSection(DOC, 'API', '## API\n\nnew API\n');
    expect(updated).toContain('## API\n\nnew API\n\n## API create-task hot path: measurement history\n');
    expect(updated).not.toContain('old API figures');
    expect(updated).not.toContain('### a subsection');
    expect(updated).toContain('history that nobody regenerates');
  });

  it('replaces the last section up to the end of the file', () => {
    const updated = replaceSection(
      DOC,
      'API create-task hot path: measurement history',
      '## API create-task hot path: measurement history\n\nx\n',
    );
    expect(updated).toBe(
      `${DOC.slice(0, DOC.indexOf('## API create-task'))}## API create-task hot path: measurement history\n\nx\n`,
    );
  });

  it('appends a section the document does not have yet, after one blank line', () => {
    expect(replaceSection(DOC, 'Local system (make up)', '## Local system (make up)\n\nnew\n')).toBe(
      `${DOC.trimEnd()}\n\n## Local system (make up)\n\nnew\n`,
    );
  });

  it('refuses a body that would start another section, naming the heading', () => {
    expect(() => composeSection('API', MACHINE, 'figures\n\n## Cost model\n\nnot mine\n')).toThrow(
      new BenchSectionError(
        'the body of "## API" contains the heading "## Cost model": it would start another section (use ### inside a section)',
      ),
    );
    expect(() => composeSection('API', MACHINE, '# Benchmarks\n')).toThrow(/contains the heading "# Benchmarks"/);
    expect(() => composeSection('API', MACHINE, '### Detail\n\nfine\n')).not.toThrow();
  });

  it('refuses a section name that is not a heading text, and a heading that appears twice', () => {
    expect(() => composeSection('## API', MACHINE, 'x')).toThrow(/--section: "## API" is not a heading's text/);
    expect(() => replaceSection(`${DOC}\n## API\n\nagain\n`, 'API', '## API\n')).toThrow(
      '"## API" appears 2 times in the document',
    );
  });
});

describe('the bench-section CLI', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
  const run = (args: string[], input: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'docs/tools/bench-section.ts', ...args], {
      cwd: REPO_ROOT,
      input,
      encoding: 'utf8',
    });

  it('rewrites one section of the given file from stdin, Biome-formatted, and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-section-'));
    dirs.push(dir);
    const doc = join(dir, 'benchmarks.md');
    writeFileSync(doc, DOC);
    const done = run(
      ['--section', 'Cost model', '--load-at-start', '0.5', '--doc', doc],
      '| Step | Median |\n| --- | --- |\n| read | 76 ms |\n',
    );
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    const text = readFileSync(doc, 'utf8');
    expect(text.startsWith(DOC.slice(0, DOC.indexOf('## Cost model')))).toBe(true);
    expect(text.endsWith(DOC.slice(DOC.indexOf('## API\n')))).toBe(true);
    expect(text).toMatch(
      /^## Cost model\n\nRun on \d{4}-\d\d-\d\d: .+, \d+ cores, [\d.]+ GiB memory; 1-minute load average 0\.5 at the start\.\n/m,
    );
    expect(text).toContain('| Step | Median |\n| ---- | ------ |\n| read | 76 ms  |\n');
  });

  it('fails with one line naming the argument, and leaves the file alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-section-'));
    dirs.push(dir);
    const doc = join(dir, 'benchmarks.md');
    writeFileSync(doc, DOC);
    const noLoad = run(['--section', 'API', '--doc', doc], 'x\n');
    expect(noLoad.status).toBe(1);
    expect(noLoad.stderr).toBe(
      'bench-section: --load-at-start: expected the 1-minute load average as a number, got ""\n',
    );
    const foreign = run(['--section', 'API', '--load-at-start', '1', '--doc', doc], '## Cost model\n');
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toMatch(/^bench-section: the body of "## API" contains the heading "## Cost model"/);
    expect(readFileSync(doc, 'utf8')).toBe(DOC);
  });
});
