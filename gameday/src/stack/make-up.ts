/**
 * `make up` itself (`local/src/up.ts`, the supervisor a developer runs) as a process of the drill's, on a port and a
 * data folder of the drill's own, so a drill can kill the supervisor outright and start another on the same folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { LOCAL_PASSWORD, LOCAL_USER } from '@innovate/local/src/postgres/server.ts';
import {
  CHILDREN_FILE,
  type RecordedChild,
  readRecordedChildren,
} from '@innovate/local/src/supervisor/child-registry.ts';

export interface MakeUpOptions {
  repoRoot: string;
  /** LOCAL_DATA_DIR: PostgreSQL's cluster, the data-folder lock and the registry of children. */
  dataDir: string;
  /** PORT: the edge's port. */
  port: number;
}

export class MakeUp {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private output = '';
  url = '';

  constructor(readonly options: MakeUpOptions) {}

  /** Starts the supervisor; resolves once it printed its URL (everything ready), rejects if it exits first. */
  async start(timeoutMs: number): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(this.options.port),
      LOCAL_DATA_DIR: this.options.dataDir,
      NO_COLOR: '1',
    };
    // The drill owns its database: an outer DATABASE_URL must not leak in.
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', join('local', 'src', 'up.ts')], {
      cwd: this.options.repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((done) => child.on('exit', (code) => done(code)));
    const append = (chunk: Buffer) => {
      this.output += chunk.toString();
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const url = `http://127.0.0.1:${this.options.port}`;
    await new Promise<void>((done, fail) => {
      const timer = setInterval(() => {
        if (this.output.includes(`\n${url}\n`)) {
          clearInterval(timer);
          clearTimeout(deadline);
          done();
        }
      }, 50);
      const deadline = setTimeout(() => {
        clearInterval(timer);
        fail(new Error(`make up printed no URL within ${timeoutMs / 1000} s; last lines: ${this.lastLines(5)}`));
      }, timeoutMs);
      void this.exited.then((code) => {
        clearInterval(timer);
        clearTimeout(deadline);
        fail(new Error(`make up exited with code ${code} before it was ready; last lines: ${this.lastLines(5)}`));
      });
    });
    this.url = url;
  }

  running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL to the supervisor alone (not its children's process groups): what `kill -9 <pid>` does. */
  async kill(): Promise<void> {
    if (!this.running()) return;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, like Ctrl-C; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.running()) this.child?.kill('SIGTERM');
    return this.exited;
  }

  /** The `[up]` lines it printed (what it did, in its own words). */
  upLines(): string[] {
    return this.output
      .split('\n')
      .filter((line) => line.startsWith('[up]'))
      .map((line) => line.replace(/^\[up\]\s+/, ''));
  }

  /** The API's port, from the line gunicorn prints when it listens. */
  get apiPort(): number {
    return this.portFrom(/Listening at: http:\/\/127\.0\.0\.1:(\d+)/, 'the API');
  }

  /** PostgreSQL's port, from the line PostgreSQL prints when it listens. */
  get postgresPort(): number {
    return this.portFrom(/listening on IPv4 address "127\.0\.0\.1", port (\d+)/, 'PostgreSQL');
  }

  /** The embedded PostgreSQL's application database, as its superuser (the local-only credentials). */
  get databaseUrl(): string {
    return `postgresql://${LOCAL_USER}:${LOCAL_PASSWORD}@127.0.0.1:${this.postgresPort}/innovate`;
  }

  /** The children the supervisor has recorded in the data folder right now. */
  recordedChildren(): RecordedChild[] {
    const recorded = readRecordedChildren(join(this.options.dataDir, CHILDREN_FILE));
    return 'children' in recorded ? recorded.children : [];
  }

  private portFrom(pattern: RegExp, what: string): number {
    const port = pattern.exec(this.output)?.[1];
    if (!port) throw new Error(`make up printed no listening line for ${what}; last lines: ${this.lastLines(5)}`);
    return Number(port);
  }

  private lastLines(count: number): string {
    return this.output.trim().split('\n').slice(-count).join(' | ');
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function listens(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}
