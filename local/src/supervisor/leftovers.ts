/**
 * A PostgreSQL left running by an earlier `make up` that was killed outright (SIGKILL, a closed terminal): its
 * children run detached, so they outlive it and keep the data folder locked. PostgreSQL records its pid in
 * `postmaster.pid`; if that process is alive and is a postgres serving this data folder, it is ours and is stopped
 * with a fast shutdown (SIGINT: committed data is kept) before a new one starts.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sleep } from './child.ts';

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
