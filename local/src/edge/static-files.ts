/**
 * Serves the built SPA like S3 behind CloudFront with the SPA fallback function of the edge stack
 * (infra/lib/constructs/spa-fallback-function.ts): a path whose last segment has no "." is a client route and is
 * answered with `/index.html`; any other path is a file, sent with its cache rule, or a plain 404 when missing (e.g.
 * an old bundle after a deploy) — never HTML under a `.js` name. (S3 itself answers a missing key with 403 when the
 * bucket cannot be listed; 404 says the same thing more plainly.)
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { CACHE_NEVER, cacheControlFor } from '@innovate/config/cache-rules';
import { contentTypeFor } from './content-types.ts';

export interface StaticFiles {
  root: string;
  handle(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void>;
}

export function staticFiles(rootDir: string): StaticFiles {
  const root = resolve(rootDir);

  async function handle(req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed\n');
      return;
    }
    if (isClientRoute(urlPath)) {
      const indexPath = join(root, 'index.html');
      const index = await regularFile(indexPath);
      if (!index) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(`The SPA is not built: ${indexPath} is missing (run make web-build)\n`);
        return;
      }
      await send(req, res, indexPath, index, CACHE_NEVER);
      return;
    }
    const filePath = fileFor(root, urlPath);
    const file = filePath ? await regularFile(filePath) : undefined;
    if (filePath && file) {
      await send(req, res, filePath, file, cacheControlFor(urlPath));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('Not Found\n');
  }

  return { root, handle };
}

/** The file a URL path names inside `root`, or undefined when it would escape it (`..`, encoded or not). */
export function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded === '/' ? '/index.html' : decoded);
  const full = join(root, relative);
  return full === root || full.startsWith(root + sep) ? full : undefined;
}

/** The same test as the CloudFront function: no "." in the last path segment (so `/` is a route too). */
export function isClientRoute(urlPath: string): boolean {
  return !urlPath.slice(urlPath.lastIndexOf('/') + 1).includes('.');
}

async function regularFile(path: string) {
  try {
    const info = await stat(path);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

async function send(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  info: { size: number; mtimeMs: number; mtime: Date },
  cacheControl: string,
): Promise<void> {
  const etag = `W/"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    'Content-Type': contentTypeFor(path),
    'Cache-Control': cacheControl,
  };
  // A no-store document is never revalidated, so it carries no validators.
  if (cacheControl !== CACHE_NEVER) {
    headers.ETag = etag;
    headers['Last-Modified'] = info.mtime.toUTCString();
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
  }
  headers['Content-Length'] = info.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(path);
    stream.on('error', () => {
      res.destroy();
      done();
    });
    stream.on('end', done);
    stream.pipe(res);
  });
}
