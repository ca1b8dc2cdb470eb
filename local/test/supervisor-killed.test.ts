/**
 * `make up` killed outright (SIGKILL): its children run detached and outlive it, so the API keeps its port. The next
 * `make up` on the same data folder must stop them before it starts its own, and a normal stop must leave nothing
 * listening.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MakeUpProcess } from '../src/make-up-process.ts';
import { freePort, listens } from '../src/supervisor/ports.ts';
import { authorizationFor } from './sign-in-helper.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'up-killed-'));

/** Starts `up.ts` on `port` and the shared data folder; resolves once it printed its URL. */
async function startUp(port: number): Promise<MakeUpProcess> {
  const supervisor = new MakeUpProcess({ repoRoot: REPO_ROOT, dataDir, port });
  await supervisor.start();
  return supervisor;
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
    const firstChildren = { api: first.apiPort, postgres: first.postgresPort };

    await first.kill();
    // The leak is real: the edge died with the supervisor, the detached API did not.
    expect(await listens(firstPort)).toBe(false);
    expect(await listens(firstChildren.api)).toBe(true);

    const secondPort = await freePort();
    const second = await startUp(secondPort);
    const secondChildren = { api: second.apiPort, postgres: second.postgresPort };
    expect(second.output()).toMatch(/^\[up\] +stopping the api \(pid \d+\) left by an earlier run$/m);
    expect(second.output()).toMatch(/^\[up\] +a PostgreSQL from an earlier run still serves .* stopping it first$/m);
    expect(second.output()).toMatch(/^\[up\] +stopping the oidc \(pid \d+\) left by an earlier run$/m);
    expect(await listens(firstChildren.api)).toBe(false);
    const secondUrl = `http://127.0.0.1:${secondPort}`;
    const ready = await fetch(`${secondUrl}/api/v1/projects`, {
      headers: { Authorization: await authorizationFor(secondUrl, () => second.output()) },
    });
    expect(ready.status).toBe(200);

    expect(await second.stop()).toBe(0);
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
