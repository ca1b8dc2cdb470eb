/**
 * `make up` killed outright (SIGKILL): its children run detached and outlive it, so the API keeps its port. The next
 * `make up` on the same data folder must stop them before it starts its own, and a normal stop must leave nothing
 * listening.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/supervisor/ports.ts';
import { authorizationFor } from './sign-in-helper.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'up-killed-'));

interface Supervisor {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `up.ts` on `port` and the shared data folder; resolves once it printed its URL. */
async function startUp(port: number): Promise<Supervisor> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOCAL_DATA_DIR: dataDir, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', join('local', 'src', 'up.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((done, fail) => {
    const timer = setInterval(() => {
      if (output.includes(`\nhttp://127.0.0.1:${port}\n`)) {
        clearInterval(timer);
        done();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      fail(new Error(`up.ts exited with code ${code} before it was ready:\n${output}`));
    });
  });
  return { process: child, output: () => output, exited };
}

/** The API's and PostgreSQL's ports, from the lines gunicorn and PostgreSQL print when they listen. */
function childPorts(output: string): { api: number; postgres: number } {
  const api = /Listening at: http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
  const postgres = /listening on IPv4 address "127\.0\.0\.1", port (\d+)/.exec(output)?.[1];
  if (!api || !postgres) throw new Error(`no API or PostgreSQL port in the output:\n${output}`);
  return { api: Number(api), postgres: Number(postgres) };
}

function listens(port: number): Promise<boolean> {
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

/**
 * Whatever still runs with this test's data folder in its environment (every process the supervisors started
 * inherits LOCAL_DATA_DIR): killed, so a failing run leaks nothing into the machine.
 */
function killEverythingOfThisTest(): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`LOCAL_DATA_DIR=${dataDir}`)) {
        process.kill(Number(entry), 'SIGKILL');
      }
    } catch {
      // gone, or not ours to read
    }
  }
}

afterAll(() => {
  killEverythingOfThisTest();
  rmSync(dataDir, { recursive: true, force: true });
});

// Needs the built SPA and uv: `make test-local` builds/installs them first.
describe('a make up killed with SIGKILL', () => {
  it('leaks its API; the next make up stops it, serves, and leaves nothing listening when stopped', async () => {
    const firstPort = await freePort();
    const first = await startUp(firstPort);
    const firstChildren = childPorts(first.output());

    first.process.kill('SIGKILL');
    await first.exited;
    // The leak is real: the edge died with the supervisor, the detached API did not.
    expect(await listens(firstPort)).toBe(false);
    expect(await listens(firstChildren.api)).toBe(true);

    const secondPort = await freePort();
    const second = await startUp(secondPort);
    const secondChildren = childPorts(second.output());
    expect(second.output()).toMatch(/^\[up\] +stopping the api \(pid \d+\) left by an earlier run$/m);
    expect(second.output()).toMatch(/^\[up\] +a PostgreSQL from an earlier run still serves .* stopping it first$/m);
    expect(second.output()).toMatch(/^\[up\] +stopping the oidc \(pid \d+\) left by an earlier run$/m);
    expect(await listens(firstChildren.api)).toBe(false);
    const secondUrl = `http://127.0.0.1:${secondPort}`;
    const ready = await fetch(`${secondUrl}/api/v1/projects`, {
      headers: { Authorization: await authorizationFor(secondUrl, second.output) },
    });
    expect(ready.status).toBe(200);

    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const ports = [
      firstPort,
      secondPort,
      firstChildren.api,
      firstChildren.postgres,
      secondChildren.api,
      secondChildren.postgres,
    ];
    const listening = [];
    for (const port of ports) if (await listens(port)) listening.push(port);
    expect(listening).toEqual([]);
  }, 240_000);
});
