/**
 * What an earlier `make up` that was killed outright (SIGKILL) left running: its children run detached, so they
 * outlive it — an API still listening on its old port, a migrate or `uv sync` mid-run, a PostgreSQL keeping the data
 * folder locked. The next `make up`, once it has claimed the data folder, stops them all before it starts anything.
 *
 * The children come from the registry the earlier supervisor kept (`child-registry.ts`). PostgreSQL is also found by
 * its own `postmaster.pid` (so even a missing or corrupt registry cannot leave it running): if that process is alive
 * and is a postgres serving this data folder, it is ours and is stopped with a fast shutdown (SIGINT: committed data
 * is kept).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sleep } from './child.ts';
import { CHILDREN_FILE, readRecordedChildren, stillRunning, stopRecordedChild } from './child-registry.ts';

/** The embedded PostgreSQL's cluster folder inside the data folder. */
export const CLUSTER_DIR = 'postgres';

export interface LeftoverOptions {
  /** One line per thing done, for the supervisor's output. */
  say: (line: string) => void;
  /** How long a leftover child's process group gets to end after SIGTERM before it is killed. */
  graceMs?: number;
}

/**
 * Stops everything an earlier supervisor of `dataDir` left running: the API, migrate and uv first (newest first, by
 * process group), then PostgreSQL by fast shutdown, then its runner. Rejects when PostgreSQL does not stop.
 */
export async function stopLeftovers(dataDir: string, { say, graceMs = 10_000 }: LeftoverOptions): Promise<void> {
  const registryFile = join(dataDir, CHILDREN_FILE);
  const recorded = readRecordedChildren(registryFile);
  if ('problem' in recorded) say(`ignoring ${registryFile}: ${recorded.problem}`);
  const alive = 'children' in recorded ? recorded.children.filter(stillRunning).reverse() : [];
  // PostgreSQL last, as in a normal stop: an API still serving must not see its database vanish first.
  const clients = alive.filter((child) => child.name !== 'postgres');
  const runners = alive.filter((child) => child.name === 'postgres');
  for (const child of clients) {
    say(`stopping the ${child.name} (pid ${child.pid}) left by an earlier run`);
    if ((await stopRecordedChild(child, graceMs)) === 'killed') say(`the ${child.name} ignored SIGTERM: killed it`);
  }
  const clusterDir = join(dataDir, CLUSTER_DIR);
  const postmaster = leftoverPostgres(clusterDir);
  if (postmaster !== undefined) {
    say(`a PostgreSQL from an earlier run still serves ${clusterDir} (pid ${postmaster}): stopping it first`);
    if (!(await stopLeftoverPostgres(postmaster))) {
      throw new Error(`PostgreSQL pid ${postmaster} from an earlier run did not stop; stop it and retry`);
    }
  }
  // The runner (a node process) outlives its server; with the server gone it has nothing left to shut down.
  for (const runner of runners.filter(stillRunning)) {
    say(`stopping the postgres runner (pid ${runner.pid}) left by an earlier run`);
    await stopRecordedChild(runner, graceMs);
  }
  rmSync(registryFile, { force: true });
}

/** The pid of a live postgres serving `dataDir`, or undefined. */
export function leftoverPostgres(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  let commandLine: string[];
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined; // no such process: a stale pid file PostgreSQL itself will ignore
  }
  const isPostgres = commandLine[0]?.endsWith('/postgres') || commandLine[0] === 'postgres';
  const dataIndex = commandLine.indexOf('-D');
  const servesDir = dataIndex >= 0 && resolve(commandLine[dataIndex + 1] ?? '') === resolve(dataDir);
  return isPostgres && servesDir ? pid : undefined;
}

/** Fast-shuts-down the leftover server; resolves when it has gone (or after `graceMs`, with false). */
export async function stopLeftoverPostgres(pid: number, graceMs = 30_000): Promise<boolean> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return true;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(100);
  }
  return false;
}

const LOCK_FILE = 'up.pid';

/**
 * Claims `dataDir` for this supervisor: a live `make up` already using it (its pid in `up.pid`, still a running
 * supervisor) is reported by pid instead — its PostgreSQL is in use, not left over. Returns a release function.
 */
export function claimDataDir(dataDir: string): { otherPid: number } | { release: () => void } {
  const lock = join(dataDir, LOCK_FILE);
  let other: number | undefined;
  try {
    other = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    other = undefined;
  }
  if (other && other !== process.pid && isSupervisor(other)) return { otherPid: other };
  writeFileSync(lock, `${process.pid}\n`);
  return {
    release: () => {
      try {
        if (readFileSync(lock, 'utf8').trim() === String(process.pid)) rmSync(lock);
      } catch {
        // already gone
      }
    },
  };
}

function isSupervisor(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((arg) => arg.endsWith('up.ts'));
  } catch {
    return false;
  }
}
