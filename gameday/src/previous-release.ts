/**
 * The previous release's API, built from the git history: the code of the commit just before the newest migration
 * was added — the image that is running when that migration reaches the database, which is the moment the
 * release-with-migration drill reenacts. While the newest migration is uncommitted, that is HEAD.
 *
 * Its `api/` folder is extracted with `git archive` (no worktree to clean up) and gets its own locked environment
 * from its own uv.lock, as its image had.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface PreviousRelease {
  /** Short commit id of the previous release. */
  commit: string;
  /** The migration file whose arrival the drill reenacts. */
  newestMigration: string;
  /** The extracted `api/` folder, with `.venv` synced. */
  apiDir: string;
}

const VERSIONS = join('api', 'src', 'innovate_api', 'migrations', 'versions');

function git(repoRoot: string, args: string[]): string {
  return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function newestMigration(repoRoot: string): string {
  const files = readdirSync(join(repoRoot, VERSIONS))
    .filter((name) => /^\d{4}_.*\.py$/.test(name))
    .sort();
  const newest = files.at(-1);
  if (!newest) throw new Error(`no migrations in ${VERSIONS}`);
  return join(VERSIONS, newest);
}

/** The commit of the previous release (see the module comment), as a full id. */
export function previousReleaseCommit(repoRoot: string, migration: string): string {
  const added = git(repoRoot, ['log', '-1', '--format=%H', '--diff-filter=A', '--', migration]);
  if (!added) return git(repoRoot, ['rev-parse', 'HEAD']);
  try {
    return git(repoRoot, ['rev-parse', '--verify', '--quiet', `${added}^`]);
  } catch {
    throw new Error(
      `the git history ends before ${added.slice(0, 7)}, which added ${migration} (a shallow clone?): run git fetch --unshallow`,
    );
  }
}

export function extractPreviousRelease(repoRoot: string, into: string): PreviousRelease {
  const migration = newestMigration(repoRoot);
  const commit = previousReleaseCommit(repoRoot, migration);
  mkdirSync(into, { recursive: true });
  execFileSync('bash', ['-o', 'pipefail', '-c', `git archive --format=tar "${commit}" api | tar -x -C "${into}"`], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const apiDir = join(into, 'api');
  const uv = existsSync(join(repoRoot, '.tools', 'bin', 'uv')) ? join(repoRoot, '.tools', 'bin', 'uv') : 'uv';
  execFileSync(uv, ['sync', '--frozen', '--quiet', '--no-dev'], {
    cwd: apiDir,
    env: { ...process.env, UV_PYTHON_DOWNLOADS: 'never', VIRTUAL_ENV: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return { commit: commit.slice(0, 7), newestMigration: migration, apiDir };
}
