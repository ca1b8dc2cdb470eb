/**
 * `make test-smoke`: proves `make smoke-api` and `make smoke-browser` against the local system, exactly as the
 * staging delivery runs them against an environment's URL: the supervisor `make up` runs (on a free port, a
 * throwaway data folder), the development user as the test user and the provider's second user as the other user.
 * The two targets run one after the other, as the staging delivery runs them: the API smoke's generated requests
 * may add tasks to any project the test user can see, including the one the browser suite is checking, so side by
 * side they disturb each other. Fails when either target fails; a target that runs longer than HANG_MS is stopped
 * as hung (a guard, not a speed target: the times are printed).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './stack';
import { localTarget } from './target';

const HANG_MS = 5 * 60_000;
const SECOND_USER_EMAIL = 'second-user@innovate.local';

/** Runs `make <target> URL=<url>`, its output kept and printed at the end; resolves with its exit code. */
function make(target: string, url: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = Date.now();
  const child = spawn('make', ['--no-print-directory', target, `URL=${url}`], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const hung = setTimeout(() => {
    console.error(`test-smoke: make ${target} ran over ${HANG_MS / 1000} s: stopped as hung`);
    child.kill('SIGTERM');
  }, HANG_MS);
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((done) => {
    child.on('close', (code) => {
      clearTimeout(hung);
      process.stdout.write(Buffer.concat(output));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`test-smoke: make ${target} exited ${code} after ${seconds} s`);
      done(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  const tempDir = mkdtempSync(join(tmpdir(), 'innovate-smoke-'));
  const dataDir = join(tempDir, 'data');
  const target = await localTarget(dataDir);
  console.log(
    `test-smoke: the local system answered at ${target.url} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const smokeStarted = Date.now();
  try {
    // The provider's users file (local/src/oidc/users.ts) holds the second user's generated password.
    const users = JSON.parse(readFileSync(join(dataDir, 'oidc', 'users.json'), 'utf8')).users as {
      email: string;
      password: string;
    }[];
    const other = users.find((user) => user.email === SECOND_USER_EMAIL);
    if (!other) throw new Error(`the local users file has no ${SECOND_USER_EMAIL}`);
    const env = {
      SMOKE_USER_EMAIL: target.credentials.email,
      SMOKE_USER_PASSWORD: target.credentials.password,
      SMOKE_OTHER_USER_EMAIL: other.email,
      SMOKE_OTHER_USER_PASSWORD: other.password,
    };
    const failed: string[] = [];
    for (const name of ['smoke-api', 'smoke-browser']) {
      if ((await make(name, target.url, env)) !== 0) failed.push(name);
    }
    const seconds = (Date.now() - smokeStarted) / 1000;
    console.log(`test-smoke: both smoke targets in ${seconds.toFixed(1)} s`);
    if (failed.length > 0) console.error(`test-smoke: FAILED: ${failed.join(', ')}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await target.stack?.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test-smoke: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  },
);
