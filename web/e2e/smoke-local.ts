/**
 * `make test-smoke`: proves `make smoke-api` and `make smoke-browser` against the local system, exactly as the
 * staging delivery runs them against an environment's URL: the supervisor `make up` runs (on a free port, a
 * throwaway data folder), the development user as the test user and the provider's second user as the other user.
 * The two targets run side by side (each prints its output when it ends): each touches only the projects it
 * created, so neither can disturb the other, and the run stays within its budget on a shared 2-core machine.
 * Fails when either target fails or the two together take longer than BUDGET_MS (counted from the moment the URL
 * answers: starting the local system is the same cost `make test-e2e` pays, and is printed on its own).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './stack';
import { localTarget } from './target';

const BUDGET_MS = 90_000;
const SECOND_USER_EMAIL = 'second-user@innovate.local';

/** Runs `make <target> URL=<url>`, its output kept and printed at the end; resolves with its exit code. */
function make(target: string, url: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = Date.now();
  const child = spawn('make', ['--no-print-directory', target, `URL=${url}`], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((done) => {
    child.on('close', (code) => {
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
    const targets = ['smoke-api', 'smoke-browser'];
    const codes = await Promise.all(targets.map((name) => make(name, target.url, env)));
    const failed = targets.filter((_, index) => codes[index] !== 0);
    const seconds = (Date.now() - smokeStarted) / 1000;
    console.log(`test-smoke: both smoke targets in ${seconds.toFixed(1)} s (budget ${BUDGET_MS / 1000} s)`);
    if (failed.length > 0) console.error(`test-smoke: FAILED: ${failed.join(', ')}`);
    if (seconds * 1000 > BUDGET_MS) console.error(`test-smoke: FAILED: over the ${BUDGET_MS / 1000} s budget`);
    return failed.length > 0 || seconds * 1000 > BUDGET_MS ? 1 : 0;
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
