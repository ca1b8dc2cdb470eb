/**
 * `make up` itself (`up.ts`, the supervisor a developer runs) as a child process of a test, a drill or a benchmark:
 * on a port and a data folder of the caller's own, its output kept, its readiness the URL and sign-in lines it
 * prints. The end-to-end browser test, the killed-supervisor test and drill, and `make bench-local` all run it so.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface MakeUpProcessOptions {
  repoRoot: string;
  /** LOCAL_DATA_DIR: PostgreSQL's cluster, the data-folder lock and the registry of children. */
  dataDir: string;
  /** PORT: the edge's port. */
  port: number;
  /** More environment for the supervisor (DATABASE_URL from the caller's environment is never passed on). */
  env?: NodeJS.ProcessEnv;
}

/** The development user `make up` prints beside its URL. */
export interface PrintedCredentials {
  email: string;
  password: string;
}

const SIGN_IN_LINE = /^sign in: (\S+) \/ (\S+)$/m;

export class MakeUpProcess {
  private child: ChildProcess | undefined;
  private text = '';
  /** Resolves with the supervisor's exit code (null when a signal ended it). */
  exited: Promise<number | null> = Promise.resolve(null);
  url = '';
  credentials: PrintedCredentials = { email: '', password: '' };

  constructor(readonly options: MakeUpProcessOptions) {}

  /** Starts the supervisor; resolves once it printed its URL and sign-in line (all ready), rejects if it exits first. */
  async start(timeoutMs = 180_000): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...this.options.env,
      PORT: String(this.options.port),
      LOCAL_DATA_DIR: this.options.dataDir,
      NO_COLOR: '1',
    };
    // The caller owns its database: an outer DATABASE_URL must not leak in.
    if (!this.options.env?.DATABASE_URL) delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', join('local', 'src', 'up.ts')], {
      cwd: this.options.repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((done) => child.on('exit', (code) => done(code)));
    const url = `http://127.0.0.1:${this.options.port}`;
    await new Promise<void>((done, fail) => {
      const deadline = setTimeout(() => {
        fail(new Error(`make up printed no URL within ${timeoutMs / 1000} s; last lines: ${this.lastLines(5)}`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        this.text += chunk.toString();
        if (this.text.includes(`\n${url}\n`) && SIGN_IN_LINE.test(this.text)) {
          clearTimeout(deadline);
          done();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => {
        this.text += chunk.toString();
      });
      void this.exited.then((code) => {
        clearTimeout(deadline);
        fail(new Error(`make up exited with code ${code} before it was ready; last lines: ${this.lastLines(5)}`));
      });
    });
    const printed = SIGN_IN_LINE.exec(this.text);
    this.credentials = { email: printed?.[1] ?? '', password: printed?.[2] ?? '' };
    this.url = url;
  }

  /** Everything it printed so far, stdout and stderr. */
  output(): string {
    return this.text;
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
    return this.text
      .split('\n')
      .filter((line) => line.startsWith('[up]'))
      .map((line) => line.replace(/^\[up\]\s+/, ''));
  }

  /** The API's origin, from the line gunicorn prints when it listens. */
  get apiOrigin(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  /** The API's port, from the line gunicorn prints when it listens. */
  get apiPort(): number {
    return this.portFrom(/Listening at: http:\/\/127\.0\.0\.1:(\d+)/, 'the API');
  }

  /** PostgreSQL's port, from the line PostgreSQL prints when it listens. */
  get postgresPort(): number {
    return this.portFrom(/listening on IPv4 address "127\.0\.0\.1", port (\d+)/, 'PostgreSQL');
  }

  lastLines(count: number): string {
    return this.text.trim().split('\n').slice(-count).join(' | ');
  }

  private portFrom(pattern: RegExp, what: string): number {
    const port = pattern.exec(this.text)?.[1];
    if (!port) throw new Error(`make up printed no listening line for ${what}; last lines: ${this.lastLines(5)}`);
    return Number(port);
  }
}
