import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newestMigration, previousReleaseCommit } from '../src/previous-release.ts';

const VERSIONS = join('api', 'src', 'innovate_api', 'migrations', 'versions');
let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
}

function commit(file: string, message: string): string {
  mkdirSync(join(repo, file, '..'), { recursive: true });
  writeFileSync(join(repo, file), message);
  git('add', file);
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'gameday-history-'));
  git('init', '-q');
  commit(join(VERSIONS, '0001_initial.py'), 'first migration');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('the previous release', () => {
  it('is the commit just before the newest migration was added, whatever came after it', () => {
    const beforeMigration = commit(join('api', 'app.py'), 'code change');
    commit(join(VERSIONS, '0002_more.py'), 'second migration');
    commit(join('api', 'app.py'), 'later code change');
    const migration = newestMigration(repo);
    expect(migration).toBe(join(VERSIONS, '0002_more.py'));
    expect(previousReleaseCommit(repo, migration)).toBe(beforeMigration);
  });

  it('is HEAD while the newest migration is not committed yet', () => {
    const head = commit(join('api', 'app.py'), 'code change');
    writeFileSync(join(repo, VERSIONS, '0002_uncommitted.py'), '');
    expect(previousReleaseCommit(repo, newestMigration(repo))).toBe(head);
  });

  it('says how to fix a history that ends before the migration (a shallow clone)', () => {
    commit(join(VERSIONS, '0002_more.py'), 'second migration');
    const shallow = mkdtempSync(join(tmpdir(), 'gameday-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth=1', `file://${repo}`, shallow]);
      expect(() => previousReleaseCommit(shallow, newestMigration(shallow))).toThrow(/git fetch --unshallow/);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });
});
