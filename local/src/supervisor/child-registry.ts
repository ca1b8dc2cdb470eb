/**
 * The supervisor's record of the children it started, kept in a file under the data folder so that the next
 * `make up` can stop what a supervisor killed outright (SIGKILL) left running: its children run detached, in their own
 * process groups, and outlive it (an API on its old port, a migrate or `uv sync` mid-run).
 *
 * A pid alone proves nothing once its process has gone: the kernel hands it out again. Each entry therefore carries the
 * process's start time (field 22 of /proc/<pid>/stat, in clock ticks since boot) and command line; a process is
 * treated as the recorded child only when both still match, so a recycled pid is never signalled.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { sleep } from './child.ts';

/** The registry's file name inside the data folder. */
export const CHILDREN_FILE = 'up-children.json';

export interface ProcessIdentity {
  /** Field 22 of /proc/<pid>/stat: clock ticks after boot when the process started. */
  startTime: string;
  commandLine: string[];
}

export interface RecordedChild extends ProcessIdentity {
  /** What the supervisor calls it: postgres, uv sync, migrate, api. */
  name: string;
  pid: number;
  /** Its process group (the children are started detached, so it leads its own). */
  pgid: number;
}

interface RegistryFile {
  supervisorPid: number;
  children: RecordedChild[];
}

/** The identity of a live process, or undefined when there is no such process (or /proc cannot say). */
export function processIdentity(pid: number): (ProcessIdentity & { pgid: number }) | undefined {
  let stat: string;
  let commandLine: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (the name) is in parentheses and may hold spaces or ')': count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const pgid = Number(fields[5 - 3]);
  const startTime = fields[22 - 3];
  if (!startTime || !Number.isInteger(pgid)) return undefined;
  return { startTime, pgid, commandLine: commandLine.split('\0').filter(Boolean) };
}

/** Whether the recorded child is still running: same pid, start time and command line. */
export function stillRunning(child: RecordedChild): boolean {
  const now = processIdentity(child.pid);
  return (
    now !== undefined &&
    now.startTime === child.startTime &&
    now.commandLine.length === child.commandLine.length &&
    now.commandLine.every((arg, index) => arg === child.commandLine[index])
  );
}

/** This supervisor's children, written to `file` each time one starts or ends. */
export class ChildRegistry {
  private readonly children = new Map<number, RecordedChild>();

  constructor(private readonly file: string) {}

  /** Records a child just started (its identity is read now, while it certainly runs). */
  record(name: string, pid: number): void {
    const identity = processIdentity(pid);
    // Gone already (it failed to start): nothing that could be left over.
    if (!identity) return;
    this.children.set(pid, { name, pid, ...identity });
    this.write();
  }

  forget(pid: number): void {
    if (this.children.delete(pid)) this.write();
  }

  /** Removes the file: called once every child has been stopped. */
  remove(): void {
    this.children.clear();
    rmSync(this.file, { force: true });
  }

  private write(): void {
    const content: RegistryFile = { supervisorPid: process.pid, children: [...this.children.values()] };
    // Write-then-rename: a supervisor killed mid-write leaves the old file or the new one, never half of one.
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`);
    renameSync(temporary, this.file);
  }
}

/** The children an earlier supervisor recorded; a missing file is none, an unreadable one is a problem to report. */
export function readRecordedChildren(file: string): { children: RecordedChild[] } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { children: [] };
    return { problem: (error as Error).message };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'not valid JSON' };
  }
  const children = (parsed as Partial<RegistryFile> | null)?.children;
  if (!Array.isArray(children) || !children.every(isRecordedChild)) {
    return { problem: 'not a list of children (name, pid, pgid, startTime, commandLine)' };
  }
  return { children };
}

function isRecordedChild(value: unknown): value is RecordedChild {
  const child = value as Partial<RecordedChild> | null;
  return (
    typeof child?.name === 'string' &&
    Number.isInteger(child.pid) &&
    (child.pid ?? 0) > 1 &&
    Number.isInteger(child.pgid) &&
    (child.pgid ?? 0) > 1 &&
    typeof child.startTime === 'string' &&
    Array.isArray(child.commandLine) &&
    child.commandLine.every((arg) => typeof arg === 'string')
  );
}

/**
 * SIGTERM to the child's whole process group (uv, gunicorn and its workers alike), then SIGKILL to the group if any
 * of it is still there after `graceMs`. Resolves with how it ended.
 */
export async function stopRecordedChild(child: RecordedChild, graceMs: number): Promise<'stopped' | 'killed'> {
  signalGroup(child.pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(child.pgid) && Date.now() < deadline) await sleep(50);
  if (!groupAlive(child.pgid)) return 'stopped';
  signalGroup(child.pgid, 'SIGKILL');
  // SIGKILL cannot be ignored: the wait only covers the kernel tearing the processes down.
  const killDeadline = Date.now() + 5_000;
  while (groupAlive(child.pgid) && Date.now() < killDeadline) await sleep(20);
  return 'killed';
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
