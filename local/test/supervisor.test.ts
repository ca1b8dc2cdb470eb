import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLine, prefixer } from '../src/supervisor/log-lines.ts';
import { readSettings } from '../src/supervisor/settings.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

describe('readSettings', () => {
  it('defaults to port 8080, the embedded database, .local/ and web/dist', () => {
    expect(readSettings({}, '/repo')).toEqual({
      port: 8080,
      databaseUrl: undefined,
      dataDir: '/repo/.local',
      webDistDir: '/repo/web/dist',
      dev: false,
    });
  });

  it('takes PORT, DATABASE_URL and folders (relative ones from the repository root)', () => {
    const settings = readSettings(
      {
        PORT: '9090',
        DATABASE_URL: 'postgresql://u:p@db:5432/app',
        LOCAL_DATA_DIR: 'tmp/data',
        WEB_DIST_DIR: '/srv/www',
      },
      '/repo',
    );
    expect(settings).toEqual({
      port: 9090,
      databaseUrl: 'postgresql://u:p@db:5432/app',
      dataDir: '/repo/tmp/data',
      webDistDir: '/srv/www',
      dev: false,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a port number from 1 to 65535, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be a port number from 1 to 65535, got "70000"'],
    [{ PORT: '0' }, 'PORT must be a port number'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL like postgresql://'],
    [{ DATABASE_URL: 'mysql://u:p@h/db' }, 'DATABASE_URL must start with postgresql://'],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => readSettings(env, '/repo')).toThrow(message);
  });
});

describe('child output', () => {
  it('shows JSON log lines as level, message and fields', () => {
    const line = JSON.stringify({
      time: '2026-11-28T12:00:00Z',
      level: 'INFO',
      logger: 'innovate_api.http',
      message: 'request',
      status: 201,
      request_id: 'r1',
      trace_id: null,
    });
    expect(formatLine(line)).toBe('INFO  request logger=innovate_api.http status=201 request_id=r1');
  });

  it('leaves other lines as they are', () => {
    expect(formatLine('[INFO] Starting gunicorn 27.0.1')).toBe('[INFO] Starting gunicorn 27.0.1');
    expect(formatLine('{not json}')).toBe('{not json}');
  });

  it('prefixes each line with its process name, padded to one width', () => {
    const prefix = prefixer(['up', 'postgres'], false);
    expect(prefix('up', 'hello')).toBe('[up]       hello');
    expect(prefix('postgres', 'ready')).toBe('[postgres] ready');
  });
});

async function freePortNumber(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('the supervisor (make up) refuses to start', () => {
  let taken: Server;
  let port = 0;
  const dist = mkdtempSync(join(tmpdir(), 'up-dist-'));

  beforeAll(async () => {
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    port = (taken.address() as { port: number }).port;
  });

  afterAll(() => {
    taken.close();
  });

  function up(env: Record<string, string>) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'local/src/up.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, WEB_DIST_DIR: dist, LOCAL_DATA_DIR: mkdtempSync(join(tmpdir(), 'up-data-')), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it('on a taken port: one line on stderr, exit 1, nothing started', () => {
    const result = up({ PORT: String(port) });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`make up: port ${port} on 127.0.0.1 is already in use (set PORT to another port)\n`);
    expect(result.stdout).toBe('');
  });

  it('on a bad setting: one line naming the variable, exit 1', () => {
    const result = up({ PORT: 'abc' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('make up: PORT must be a port number from 1 to 65535, got "abc"\n');
  });

  it('when another make up uses the same data folder: one line naming its pid, exit 1', async () => {
    // Stands in for a running supervisor: a live process whose command line ends in up.ts.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'up.ts'], { stdio: 'ignore' });
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'up-shared-'));
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'up.pid'), `${other.pid}\n`);
      const result = up({ PORT: String(await freePortNumber()), LOCAL_DATA_DIR: dataDir });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `make up: another make up (pid ${other.pid}) is using ${dataDir}; stop it or set LOCAL_DATA_DIR\n`,
      );
    } finally {
      other.kill();
    }
  });

  it('when PostgreSQL fails while migrate waits for it: one line naming PostgreSQL, exit 1, migrate stopped', async () => {
    // A cluster folder PostgreSQL cannot use (the version file of no release): it exits before it is ready.
    const dataDir = mkdtempSync(join(tmpdir(), 'up-bad-cluster-'));
    mkdirSync(join(dataDir, 'postgres'));
    writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '99\n');
    const result = up({ PORT: String(await freePortNumber()), LOCAL_DATA_DIR: dataDir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^make up: PostgreSQL exited with code \d+ before it was ready \(see its output above\)\n$/,
    );
    // migrate started beside PostgreSQL (it waits for the server to accept) and is stopped with the rest.
    expect(result.stdout).toMatch(/^\[up\]\s+stopping migrate$/m);
  });

  it('without a built SPA: one line saying how to build it', () => {
    const result = up({ PORT: '8089', WEB_DIST_DIR: join(dist, 'missing') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^make up: the SPA is not built \(.*index.html is missing\): run make up, or make web-build\n$/,
    );
  });
});

describe('the standalone edge (local/src/edge/cli.ts)', () => {
  function edge(args: string[]) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'local/src/edge/cli.ts', ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
  }

  it.each([
    [[], 'edge: --api <origin> is required, e.g. --api http://127.0.0.1:8000\n'],
    [['--api', 'nope'], 'edge: --api must be an http URL, got "nope"\n'],
    [['--api', 'http://127.0.0.1:8000', '--port', 'x'], 'edge: --port must be from 1 to 65535, got "x"\n'],
  ])('rejects %o with one line and exit 2', (args, message) => {
    const result = edge(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(message);
  });
});
