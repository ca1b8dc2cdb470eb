/**
 * `DATABASE_URL` set by the user wins: the supervisor migrates and serves against that database and does not start
 * the embedded PostgreSQL (no `[postgres]` output, nothing written to its data folder).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPostgres, startPostgres } from '../src/postgres/server.ts';
import { freePort } from '../src/supervisor/ports.ts';
import { authorizationFor } from './sign-in-helper.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

let external: RunningPostgres;
const externalDir = mkdtempSync(join(tmpdir(), 'external-pg-'));

beforeAll(async () => {
  external = await startPostgres({
    dataDir: join(externalDir, 'data'),
    port: await freePort(),
    noFsync: true,
  });
}, 60_000);

afterAll(async () => {
  await external?.stop();
  rmSync(externalDir, { recursive: true, force: true });
});

// Needs the built SPA and uv: `make test-local` builds/installs them first.
describe('with DATABASE_URL set', () => {
  it('uses that database and starts no PostgreSQL of its own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'up-override-'));
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/src/up.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(await freePort()),
        DATABASE_URL: external.url,
        LOCAL_DATA_DIR: dataDir,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((done, fail) => {
      const timer = setInterval(() => {
        const match = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
        if (match?.[1] && /^sign in: /m.test(output)) {
          clearInterval(timer);
          done(match[1]);
        }
      }, 100);
      void exited.then((code) => {
        clearInterval(timer);
        fail(new Error(`exited ${code}:\n${output}`));
      });
    });

    const created = await fetch(`${url}/api/v1/projects`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: await authorizationFor(url, () => output) },
      body: JSON.stringify({ name: `override ${Date.now()}` }),
    });
    expect(created.status).toBe(201);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    expect(output).toContain('DATABASE_URL is set: using that database, not starting the embedded PostgreSQL');
    expect(output).not.toMatch(/^\[postgres\]/m);
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
    // The row is in the external database.
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: external.url });
    await client.connect();
    const { rows } = await client.query<{ count: string }>('select count(*) from projects');
    await client.end();
    expect(Number(rows[0]?.count)).toBe(1);
  }, 120_000);
});
