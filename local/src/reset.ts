/**
 * `make reset-local`: deletes the local data folder (.local/, or LOCAL_DATA_DIR) — the PostgreSQL cluster, the local
 * users and their passwords, the observability files — so the next `make up` starts from nothing. It asks nothing.
 * Refused, in one line, while a `make up` is using the folder (its claim, `supervisor/leftovers.ts`); what a
 * `make up` killed outright left running there is stopped first, as the next `make up` would.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { claimDataDir, stopLeftovers } from './supervisor/leftovers.ts';
import { readSettings, SettingsError } from './supervisor/settings.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

class ResetError extends Error {}

/** Whether deleting `dir` would delete the repository (or `/`) with it: a LOCAL_DATA_DIR of `.` or `..`. */
export function holdsRepository(dir: string, repoRoot: string): boolean {
  const up = relative(resolve(dir), resolve(repoRoot));
  return up === '' || !up.startsWith('..');
}

export async function resetLocal(env: NodeJS.ProcessEnv, repoRoot: string, say: (line: string) => void) {
  const { dataDir } = readSettings({ ...env, DATABASE_URL: undefined }, repoRoot);
  if (holdsRepository(dataDir, repoRoot)) {
    throw new ResetError(`LOCAL_DATA_DIR ${dataDir} holds the repository: refusing to delete it`);
  }
  if (!existsSync(dataDir)) {
    say(`nothing to remove: ${dataDir} does not exist`);
    return;
  }
  const claim = claimDataDir(dataDir);
  if ('otherPid' in claim) {
    throw new ResetError(`a make up (pid ${claim.otherPid}) is using ${dataDir}: stop it (Ctrl-C) first`);
  }
  await stopLeftovers(dataDir, { say });
  const entries = readdirSync(dataDir).filter((name) => name !== 'up.pid');
  rmSync(dataDir, { recursive: true, force: true });
  say(`removed ${dataDir}${entries.length > 0 ? ` (${entries.sort().join(', ')})` : ''}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await resetLocal(process.env, REPO_ROOT, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    const known = error instanceof ResetError || error instanceof SettingsError;
    process.stderr.write(`make reset-local: ${known ? (error as Error).message : String(error)}\n`);
    process.exit(1);
  }
}
