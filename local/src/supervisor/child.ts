/**
 * A child process of the supervisor. Each runs in its own process group, so a Ctrl-C in the terminal reaches only
 * the supervisor, which then stops the children in its own order (PostgreSQL last) instead of all at once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { splitLines } from './log-lines.ts';

export interface ChildOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Every output line, stdout and stderr alike. */
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface Child {
  name: string;
  pid: number;
  /** Resolves with the exit code (or 128 + signal number) when the process ends. */
  exited: Promise<number>;
  running(): boolean;
  /**
   * Sends `signal` to the process (or its whole group), waits until every process of the group has gone, and
   * kills the group if that takes longer than `graceMs`.
   */
  stop(options: { signal: NodeJS.Signals; group: boolean; graceMs: number }): Promise<number>;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function startChild(options: ChildOptions): Child {
  const proc: ChildProcess = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (proc.pid === undefined) {
    // spawn reports a missing executable through 'error' right after; make it one readable failure.
    throw new Error(`${options.name}: could not start ${options.command}`);
  }
  const pid = proc.pid;
  let alive = true;
  const exited = new Promise<number>((done) => {
    proc.on('error', (error) => {
      options.onLine(`could not run ${options.command}: ${error.message}`, 'stderr');
      alive = false;
      done(127);
    });
    proc.on('exit', (code, signal) => {
      alive = false;
      done(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0));
    });
  });
  if (proc.stdout) splitLines(proc.stdout, (line) => options.onLine(line, 'stdout'));
  if (proc.stderr) splitLines(proc.stderr, (line) => options.onLine(line, 'stderr'));

  async function stop({ signal, group, graceMs }: { signal: NodeJS.Signals; group: boolean; graceMs: number }) {
    if (groupAlive(pid)) sendSignal(group ? -pid : pid, signal);
    const deadline = Date.now() + graceMs;
    // The leader exiting is not enough: gunicorn workers or postgres backends may outlive it.
    while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
    if (groupAlive(pid)) sendSignal(-pid, 'SIGKILL');
    return exited;
  }

  return { name: options.name, pid, exited, running: () => alive, stop };
}

function sendSignal(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Whether any process of the group led by `pid` still exists. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
