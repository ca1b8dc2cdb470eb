import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_IMMUTABLE, CACHE_NEVER, CACHE_REVALIDATE, cacheControlFor } from '@innovate/config/cache-rules';
import { toHttpHeaders } from '@innovate/config/security-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPA_FALLBACK_CODE } from '../../infra/lib/constructs/spa-fallback-function.ts';
import { type AccessLogLine, createEdgeServer, listen } from '../src/edge/server.ts';
import { fileFor, isClientRoute } from '../src/edge/static-files.ts';

const INDEX = '<!doctype html><title>spa</title>';
const BUNDLE = 'console.log("bundle")';
const SECURITY = toHttpHeaders();

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let edge: Server;
let upstream: Server;
let base: string;
const seen: Seen[] = [];

/** A stand-in API: records what reached it; `/api/v1/stream` answers in two chunks 1.5 s apart. */
function fakeApi(): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/api/v1/stream') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first;');
        setTimeout(() => res.end('second'), 1_500);
        return;
      }
      res.writeHead(201, {
        'Content-Type': 'application/json',
        ETag: '"3"',
        'X-Request-Id': String(req.headers['x-request-id']),
        // The edge's policy wins over what the origin says, like CloudFront's override setting.
        'X-Frame-Options': 'SAMEORIGIN',
        'Keep-Alive': 'timeout=5',
      });
      res.end(JSON.stringify({ ok: true }));
    });
  });
}

beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'edge-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'index-C8P3CzxF.js'), BUNDLE);
  writeFileSync(join(dist, 'favicon.ico'), 'icon');
  writeFileSync(join(tmpdir(), 'secret.txt'), 'outside the dist folder');
  upstream = fakeApi();
  const apiPort = await listen(upstream, 0);
  edge = createEdgeServer({ staticDir: dist, apiOrigin: new URL(`http://127.0.0.1:${apiPort}`) });
  base = `http://127.0.0.1:${await listen(edge, 0)}`;
});

afterAll(() => {
  edge.close();
  upstream.close();
});

function expectSecurityHeaders(response: Response) {
  for (const [name, value] of Object.entries(SECURITY)) expect(response.headers.get(name), name).toBe(value);
}

describe('the SPA side', () => {
  it('serves index.html at / with no caching and the security headers', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe(CACHE_NEVER);
    expect(response.headers.get('etag')).toBeNull();
    expectSecurityHeaders(response);
  });

  it.each(['/projects/42', '/projects/42/', '/some/deep/client/route?tab=2', '/api'])(
    'answers the client route %s with index.html (the SPA fallback)',
    async (path) => {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(INDEX);
      expect(response.headers.get('cache-control')).toBe(CACHE_NEVER);
      expectSecurityHeaders(response);
    },
  );

  it('serves hashed assets as immutable for a year, with a validator that yields 304', async () => {
    const response = await fetch(`${base}/assets/index-C8P3CzxF.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(BUNDLE);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(response);
    const etag = response.headers.get('etag') ?? '';
    const again = await fetch(`${base}/assets/index-C8P3CzxF.js`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers a missing file with 404, never with index.html under a .js name', async () => {
    const response = await fetch(`${base}/assets/index-OLDHASH1.js`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<!doctype html>');
    expectSecurityHeaders(response);
  });

  it('revalidates unhashed files other than index.html', async () => {
    const response = await fetch(`${base}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(CACHE_REVALIDATE);
  });

  it('never serves a file outside the dist folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const body = await (await fetch(`${base}${path}`)).text();
      expect(body, path).not.toContain('outside the dist folder');
    }
    expect(fileFor('/srv/dist', '/%2e%2e/etc/passwd')).toBe('/srv/dist/etc/passwd');
    expect(fileFor('/srv/dist', '/%E0%A4%A')).toBeUndefined();
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await fetch(`${base}/projects`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expectSecurityHeaders(response);
  });
});

describe('the API side (/api/*)', () => {
  it('forwards method, path, query and body, and the X-Forwarded-* and X-Request-Id headers', async () => {
    seen.length = 0;
    const response = await fetch(`${base}/api/v1/projects?limit=5`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-123', 'Idempotency-Key': 'k1' },
      body: '{"name":"Alpha"}',
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ ok: true });
    const request = seen[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/v1/projects?limit=5');
    expect(request?.body).toBe('{"name":"Alpha"}');
    expect(request?.headers['idempotency-key']).toBe('k1');
    expect(request?.headers['x-request-id']).toBe('req-123');
    expect(request?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(request?.headers['x-forwarded-proto']).toBe('http');
    expect(request?.headers['x-forwarded-host']).toBe(new URL(base).host);
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(response.headers.get('etag')).toBe('"3"');
  });

  it('puts the security headers on API responses too, over the origin’s own', async () => {
    const response = await fetch(`${base}/api/v1/projects`);
    expectSecurityHeaders(response);
    expect(response.headers.get('x-frame-options')).toBe(SECURITY['X-Frame-Options']);
  });

  it('sets an X-Request-Id when the client sent none, and drops hop-by-hop headers', async () => {
    seen.length = 0;
    const response = await fetch(`${base}/api/v1/projects`);
    const id = seen[0]?.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(id);
    expect(response.headers.get('keep-alive')).not.toBe('timeout=5');
  });

  it('appends to an X-Forwarded-For the client already had', async () => {
    seen.length = 0;
    await fetch(`${base}/api/v1/projects`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    expect(seen[0]?.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
  });

  it('streams the response: the first chunk arrives before the origin has finished', async () => {
    const started = Date.now();
    const firstChunkAfter = await new Promise<number>((done, fail) => {
      request(`${base}/api/v1/stream`, (res) => {
        res.once('data', () => {
          done(Date.now() - started);
          res.resume();
        });
      })
        .on('error', fail)
        .end();
    });
    // The origin waits 1.5 s between its chunks; a buffering proxy would hold the first one that long.
    expect(firstChunkAfter).toBeLessThan(1_000);
  });

  it('answers 502 problem+json with the security headers when the API is down', async () => {
    const down = createEdgeServer({ staticDir: tmpdir(), apiOrigin: new URL('http://127.0.0.1:1') });
    const port = await listen(down, 0);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/projects`);
      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { status: number }).status).toBe(502);
      expectSecurityHeaders(response);
    } finally {
      down.close();
    }
  });
});

describe('fault injection: a response lost on its way back', () => {
  /** A stand-in API that records when each answer has been sent in full (the create has committed by then). */
  function recordingApi(finished: string[]): Server {
    return createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.on('finish', () => finished.push(String(req.headers['idempotency-key'])));
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: 'p1' }));
      });
    });
  }

  /** POSTs through the edge with Node's client: the status and body, or the socket error's code. */
  function post(url: string, key: string): Promise<{ status: number; body: string } | { error: string }> {
    return new Promise((done) => {
      const req = request(url, { method: 'POST', agent: false, headers: { 'Idempotency-Key': key } }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
      req.end('{"name":"Alpha"}');
    });
  }

  it('resets the client after the API answered in full, only while the fault is on', async () => {
    const finished: string[] = [];
    const api = recordingApi(finished);
    const accessLog: AccessLogLine[] = [];
    let dropsLeft = 1;
    const faulty = createEdgeServer({
      staticDir: tmpdir(),
      apiOrigin: new URL(`http://127.0.0.1:${await listen(api, 0)}`),
      onAccessLog: (line) => accessLog.push(line),
      faults: { dropResponse: (req) => req.method === 'POST' && dropsLeft-- > 0 },
    });
    const url = `http://127.0.0.1:${await listen(faulty, 0)}/api/v1/projects`;
    try {
      expect(await post(url, 'k1')).toEqual({ error: 'ECONNRESET' });
      expect(finished).toEqual(['k1']);
      expect(accessLog.at(-1)).toMatchObject({ method: 'POST', status: 0 });
      expect(accessLog.at(-1)?.path).toContain('response dropped by fault injection');

      // The same edge once the fault has had its one drop: the answer comes through untouched.
      expect(await post(url, 'k2')).toEqual({ status: 201, body: '{"id":"p1"}' });
      expect(finished).toEqual(['k1', 'k2']);
      expect(accessLog.at(-1)).toMatchObject({ method: 'POST', status: 201 });
    } finally {
      faulty.close();
      api.close();
    }
  });

  it('drops nothing without faults (the default, as in make up)', async () => {
    seen.length = 0;
    const status = await post(`${base}/api/v1/projects`, 'k3');
    expect(status).toMatchObject({ status: 201 });
    expect(seen[0]?.headers['idempotency-key']).toBe('k3');
  });
});

describe('listen', () => {
  it('turns a taken port into one readable line', async () => {
    const port = Number(new URL(base).port);
    const second = createEdgeServer({ staticDir: tmpdir(), apiOrigin: new URL('http://127.0.0.1:1') });
    await expect(listen(second, port)).rejects.toThrow(
      `port ${port} on 127.0.0.1 is already in use (set PORT to another port)`,
    );
  });
});

describe('the SPA fallback rule', () => {
  // The CloudFront Function of the edge stack, run as CloudFront would run it on the viewer request.
  const cloudFront = new Function(`${SPA_FALLBACK_CODE}; return handler;`)() as (event: {
    request: { uri: string };
  }) => { uri: string };

  it.each([
    '/',
    '/projects',
    '/projects/6f1c0c0e-0000-4000-8000-000000000000',
    '/projects/x/',
    '/index.html',
    '/assets/index-C8P3CzxF.js',
    '/favicon.svg',
    '/v1.2/route',
    '/robots.txt',
    '/some.dir/route',
  ])('treats %s as CloudFront does', (uri) => {
    const rewritten = cloudFront({ request: { uri } }).uri === '/index.html' && uri !== '/index.html';
    expect(isClientRoute(uri)).toBe(rewritten);
  });
});

describe('cacheControlFor', () => {
  it.each([
    ['/assets/index-C8P3CzxF.js', CACHE_IMMUTABLE],
    ['/assets/index-BWctbbzM.css', CACHE_IMMUTABLE],
    ['/index.html', CACHE_NEVER],
    ['/', CACHE_NEVER],
    ['/favicon.ico', CACHE_REVALIDATE],
  ])('%s → %s', (path, expected) => {
    expect(cacheControlFor(path)).toBe(expected);
  });
});
