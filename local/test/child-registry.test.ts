/**
 * The registry of the supervisor's children and the clean-up of what an earlier run left: only a process whose pid,
 * start time and command line all match the record is stopped, as a whole process group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep } from '../src/supervisor/child.ts';
import {
  CHILDREN_FILE,
  ChildRegistry,
  processIdentity,
  readRecordedChildren,
  stillRunning,
} from '../src/supervisor/child-registry.ts';
import { stopLeftovers } from '../src/supervisor/leftovers.ts';

const started: ChildProcess[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function dataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'child-registry-'));
  folders.push(folder);
  return folder;
}

/** A detached process (own group, like the supervisor's children) running `script`; resolves once it runs it. */
async function startGroup(script: string): Promise<number> {
  const child = spawn(process.execPath, ['-e', `${script}; console.log('up')`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  started.push(child);
  await new Promise((done) => child.stdout?.once('data', done));
  return child.pid as number;
}

const IDLE = 'setInterval(() => {}, 1000)';
/** Leads a group of two: itself and a child of its own (like uv and gunicorn). */
const WITH_GRANDCHILD = `require('node:child_process').spawn(process.execPath, ['-e', '${IDLE}'], { stdio: 'ignore' }); ${IDLE}`;

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('processIdentity', () => {
  it('reads the start time, process group and command line from /proc', async () => {
    const pid = await startGroup(IDLE);
    const identity = processIdentity(pid);
    expect(identity?.pgid).toBe(pid);
    expect(identity?.startTime).toMatch(/^\d+$/);
    expect(identity?.commandLine).toEqual([process.execPath, '-e', `${IDLE}; console.log('up')`]);
  });

  it('is undefined for a pid with no process', () => {
    expect(processIdentity(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('ChildRegistry', () => {
  it('writes each child as it starts and ends, atomically, and removes the file at the end', async () => {
    const dir = dataDir();
    const file = join(dir, CHILDREN_FILE);
    const registry = new ChildRegistry(file);
    const api = await startGroup(IDLE);
    const migrate = await startGroup(IDLE);

    registry.record('api', api);
    registry.record('migrate', migrate);
    expect(readRecordedChildren(file)).toEqual({
      children: [
        expect.objectContaining({ name: 'api', pid: api, pgid: api }),
        expect.objectContaining({ name: 'migrate', pid: migrate, pgid: migrate }),
      ],
    });

    registry.forget(migrate);
    const after = readRecordedChildren(file);
    expect('children' in after && after.children.map((child) => child.name)).toEqual(['api']);
    // Only the registry itself: no temporary file left behind by the write-then-rename.
    expect(readdirSync(dir)).toEqual([CHILDREN_FILE]);

    registry.remove();
    expect(existsSync(file)).toBe(false);
  });
});

describe('readRecordedChildren', () => {
  it('reads a missing file as no children', () => {
    expect(readRecordedChildren(join(dataDir(), CHILDREN_FILE))).toEqual({ children: [] });
  });

  it.each([
    ['{"children": [', 'not valid JSON'],
    ['null', 'not a list of children'],
    ['{"children": [{"name": "api", "pid": "1234"}]}', 'not a list of children'],
  ])('reports %s as a problem', (content, problem) => {
    const file = join(dataDir(), CHILDREN_FILE);
    writeFileSync(file, content);
    const result = readRecordedChildren(file);
    expect('problem' in result && result.problem).toContain(problem);
  });
});

describe('stopLeftovers', () => {
  it('stops a recorded child that still runs: one line, its whole process group gone', async () => {
    const dir = dataDir();
    const pid = await startGroup(WITH_GRANDCHILD);
    new ChildRegistry(join(dir, CHILDREN_FILE)).record('api', pid);
    const lines: string[] = [];

    await stopLeftovers(dir, { say: (line) => lines.push(line) });

    expect(lines).toEqual([`stopping the api (pid ${pid}) left by an earlier run`]);
    expect(groupAlive(pid)).toBe(false);
    expect(existsSync(join(dir, CHILDREN_FILE))).toBe(false);
  });

  it('kills a group that ignores SIGTERM once the grace has passed', async () => {
    const dir = dataDir();
    const pid = await startGroup(`process.on('SIGTERM', () => {}); ${IDLE}`);
    new ChildRegistry(join(dir, CHILDREN_FILE)).record('migrate', pid);
    const lines: string[] = [];

    await stopLeftovers(dir, { say: (line) => lines.push(line), graceMs: 300 });

    expect(lines).toEqual([
      `stopping the migrate (pid ${pid}) left by an earlier run`,
      'the migrate ignored SIGTERM: killed it',
    ]);
    expect(groupAlive(pid)).toBe(false);
  });

  it('leaves alone a process whose pid was reused (start time or command line differ)', async () => {
    const dir = dataDir();
    const file = join(dir, CHILDREN_FILE);
    const pid = await startGroup(IDLE);
    const identity = processIdentity(pid);
    if (!identity) throw new Error('no identity for a live process');
    const recycled = [
      {
        name: 'api',
        pid,
        pgid: pid,
        startTime: String(Number(identity.startTime) - 100),
        commandLine: identity.commandLine,
      },
      { name: 'migrate', pid, pgid: pid, startTime: identity.startTime, commandLine: ['uv', 'run', 'migrate'] },
    ];
    expect(recycled.some(stillRunning)).toBe(false);
    writeFileSync(file, JSON.stringify({ supervisorPid: 1234, children: recycled }));
    const lines: string[] = [];

    await stopLeftovers(dir, { say: (line) => lines.push(line) });

    expect(lines).toEqual([]);
    await sleep(200);
    expect(groupAlive(pid)).toBe(true);
  });

  it('ignores a corrupt registry with one line and carries on', async () => {
    const dir = dataDir();
    const file = join(dir, CHILDREN_FILE);
    writeFileSync(file, '{"children": [');
    const lines: string[] = [];

    await stopLeftovers(dir, { say: (line) => lines.push(line) });

    expect(lines).toEqual([`ignoring ${file}: not valid JSON`]);
    expect(existsSync(file)).toBe(false);
  });

  it('does nothing without a registry or a PostgreSQL', async () => {
    const lines: string[] = [];
    await stopLeftovers(dataDir(), { say: (line) => lines.push(line) });
    expect(lines).toEqual([]);
  });
});
