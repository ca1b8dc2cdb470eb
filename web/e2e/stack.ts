/**
 * Runs the local system exactly as `make up` does (the same supervisor), on a free port with its own data folder, so
 * the browser test exercises what a developer gets.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface RunningStack {
  url: string;
  /** The development user that `make up` prints beside the URL. */
  credentials: { email: string; password: string };
  /** Everything the supervisor printed so far (for failure messages). */
  output(): string;
  /** SIGTERM, like Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function startStack(options: {
  port: number;
  dataDir: string;
  timeoutMs?: number;
}): Promise<RunningStack> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    LOCAL_DATA_DIR: options.dataDir,
    NO_COLOR: '1',
  };
  // The test owns its database: an outer DATABASE_URL must not leak in.
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join('local', 'src', 'up.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the stack printed no URL within ${options.timeoutMs ?? 180_000} ms:\n${output}`)),
      options.timeoutMs ?? 180_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      // The credentials line follows the URL: wait for both.
      if (match?.[1] && /^sign in: /m.test(output)) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`the stack exited with code ${code} before it was ready:\n${output}`));
    });
  });
  const signIn = /^sign in: (\S+) \/ (\S+)$/m.exec(output);
  if (!signIn?.[1] || !signIn[2]) throw new Error(`make up printed no sign-in credentials:\n${output}`);
  return {
    url,
    credentials: { email: signIn[1], password: signIn[2] },
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
