/**
 * The development loop around `make up`, offline parts: `--dev` and the SPA side the edge then proxies to (Vite's dev
 * server, its hot-reload WebSocket included, with /config.json and /api/* unchanged), `make seed`'s settings, and
 * `make reset-local`'s refusals.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHttpHeaders } from '@innovate/config/security-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowDevServer } from '../src/edge/dev-server.ts';
import { createEdgeServer, listen } from '../src/edge/server.ts';
import { holdsRepository, resetLocal } from '../src/reset.ts';
import { readSeedSettings } from '../src/seed.ts';
import { readSettings } from '../src/supervisor/settings.ts';

describe('make dev settings', () => {
  it('--dev turns the dev server on; no argument leaves make up as it is', () => {
    expect(readSettings({}, '/repo', ['--dev']).dev).toBe(true);
    expect(readSettings({}, '/repo', []).dev).toBe(false);
  });

  it('refuses any other argument in one line', () => {
    expect(() => readSettings({}, '/repo', ['--devv'])).toThrow('unknown argument "--devv" (the only one is --dev)');
  });

  it('lets inline scripts and styles in only for the dev server; the rest of the policy stays', () => {
    const strict = toHttpHeaders();
    const relaxed = allowDevServer(strict)['Content-Security-Policy'] ?? '';
    expect(relaxed).toContain("script-src 'self' 'unsafe-inline'");
    expect(relaxed).toContain("style-src 'self' 'unsafe-inline'");
    expect(relaxed.replace(/ 'unsafe-inline'/g, '')).toBe(strict['Content-Security-Policy']);
    expect(strict['Content-Security-Policy']).not.toContain('unsafe-inline');
  });
});

describe('the edge in front of a dev server', () => {
  let edge: Server;
  let vite: Server;
  let api: Server;
  let base = '';
  const distDir = mkdtempSync(join(tmpdir(), 'dev-loop-dist-'));

  /** A stand-in that answers every request with who it is and the path it got, and echoes WebSocket-like upgrades. */
  function standIn(name: string): Server {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`${name} ${req.url}`);
    });
    server.on('upgrade', (req: IncomingMessage, socket) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\n\r\n`,
      );
      socket.on('data', (data) => socket.write(`${name} echo ${data}`));
    });
    return server;
  }

  beforeAll(async () => {
    writeFileSync(join(distDir, 'index.html'), 'built spa');
    vite = standIn('vite');
    api = standIn('api');
    const vitePort = await listen(vite, 0);
    const apiPort = await listen(api, 0);
    edge = createEdgeServer({
      staticDir: distDir,
      spaDevServer: new URL(`http://127.0.0.1:${vitePort}`),
      apiOrigin: new URL(`http://127.0.0.1:${apiPort}`),
      runtimeConfig: { auth: { issuer: 'http://127.0.0.1:9', clientId: 'spa' } },
    });
    base = `http://127.0.0.1:${await listen(edge, 0)}`;
  });

  afterAll(() => {
    for (const server of [edge, vite, api]) server.closeAllConnections();
    for (const server of [edge, vite, api]) server.close();
  });

  it('sends the SPA to the dev server instead of the built files', async () => {
    expect(await (await fetch(`${base}/projects/42`)).text()).toBe('vite /projects/42');
    expect(await (await fetch(`${base}/src/main.tsx`)).text()).toBe('vite /src/main.tsx');
  });

  it('keeps /api/* on the API and /config.json on the edge', async () => {
    expect(await (await fetch(`${base}/api/v1/projects`)).text()).toBe('api /api/v1/projects');
    expect(await (await fetch(`${base}/config.json`)).json()).toEqual({
      auth: { issuer: 'http://127.0.0.1:9', clientId: 'spa' },
    });
  });

  it('puts the security headers on what the dev server answers', async () => {
    const response = await fetch(`${base}/`);
    expect(response.headers.get('content-security-policy')).toBe(toHttpHeaders()['Content-Security-Policy']);
  });

  it('pipes the hot-reload WebSocket upgrade through to the dev server', async () => {
    const port = Number(new URL(base).port);
    const reply = await new Promise<string>((done, fail) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.write('GET /?token=t HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (text.includes('101') && !text.includes('echo')) socket.write('ping');
        if (text.includes('vite echo ping')) {
          socket.destroy();
          done(text);
        }
      });
      socket.on('error', fail);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 101 /);
  });

  it('without a dev server, serves the built SPA as make up does', async () => {
    const plain = createEdgeServer({ staticDir: distDir, apiOrigin: new URL('http://127.0.0.1:9') });
    const port = await listen(plain, 0);
    const body = await new Promise<string>((done) => {
      request(`http://127.0.0.1:${port}/projects/42`, (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => done(text));
      }).end();
    });
    plain.close();
    expect(body).toBe('built spa');
  });
});

describe('make seed settings', () => {
  it('seeds the make up on PORT by default, with the users file of LOCAL_DATA_DIR', () => {
    expect(readSeedSettings({ PORT: '9090', LOCAL_DATA_DIR: '/data' }, '/repo')).toEqual({
      url: 'http://127.0.0.1:9090',
      usersFile: '/data/oidc/users.json',
    });
    expect(readSeedSettings({}, '/repo').url).toBe('http://127.0.0.1:8080');
  });

  it('takes SEED_URL as an origin and refuses anything but http(s) in one line naming it', () => {
    expect(readSeedSettings({ SEED_URL: 'http://127.0.0.1:8123/' }, '/repo').url).toBe('http://127.0.0.1:8123');
    expect(() => readSeedSettings({ SEED_URL: 'ftp://x' }, '/repo')).toThrow('SEED_URL must be an http(s) URL');
  });
});

describe('make reset-local', () => {
  it('will not delete a folder that holds the repository', () => {
    expect(holdsRepository('/repo', '/repo')).toBe(true);
    expect(holdsRepository('/', '/repo')).toBe(true);
    expect(holdsRepository('/repo/.local', '/repo')).toBe(false);
    expect(holdsRepository('/tmp/data', '/repo')).toBe(false);
  });

  it('refuses while a make up claims the folder, and removes it otherwise, saying what it removed', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'reset-local-')), 'data');
    mkdirSync(join(dataDir, 'oidc'), { recursive: true });
    writeFileSync(join(dataDir, 'oidc', 'users.json'), '{}');
    // A live supervisor: a process whose command line ends in up.ts, its pid in the folder's claim.
    const supervisor = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', 'up.ts'], { stdio: 'ignore' });
    writeFileSync(join(dataDir, 'up.pid'), `${supervisor.pid}\n`);
    const lines: string[] = [];
    try {
      await expect(resetLocal({ LOCAL_DATA_DIR: dataDir }, '/repo', (line) => lines.push(line))).rejects.toThrow(
        `a make up (pid ${supervisor.pid}) is using ${dataDir}: stop it (Ctrl-C) first`,
      );
      expect(existsSync(join(dataDir, 'oidc', 'users.json'))).toBe(true);
    } finally {
      supervisor.kill('SIGKILL');
    }
    await once(supervisor, 'exit');
    await resetLocal({ LOCAL_DATA_DIR: dataDir }, '/repo', (line) => lines.push(line));
    expect(lines.at(-1)).toBe(`removed ${dataDir} (oidc)`);
    expect(existsSync(dataDir)).toBe(false);
    await resetLocal({ LOCAL_DATA_DIR: dataDir }, '/repo', (line) => lines.push(line));
    expect(lines.at(-1)).toBe(`nothing to remove: ${dataDir} does not exist`);
  });
});
