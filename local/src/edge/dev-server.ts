/**
 * `make dev`: the edge's SPA side is Vite's dev server instead of web/dist, so the SPA reloads as its source changes
 * while the origin, `/config.json`, `/api/*` and the sign-in stay those of `make up`. Requests go through as they
 * would to the API; Vite's hot-reload WebSocket (an HTTP upgrade on the same origin) is piped through as bytes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { forwardedHeaders, proxyToApi } from './api-proxy.ts';

/** Sends one SPA request to the dev server at `origin`. */
export function proxyToDevServer(
  req: IncomingMessage,
  res: ServerResponse,
  origin: URL,
  responseHeaders: Readonly<Record<string, string>>,
): Promise<void> {
  return proxyToApi(req, res, { origin, responseHeaders, originName: "The SPA's dev server (Vite)" });
}

/** Pipes an HTTP upgrade (the hot-reload WebSocket) to the dev server at `origin`, both ways, unchanged after the handshake. */
export function proxyUpgradeToDevServer(req: IncomingMessage, client: Duplex, head: Buffer, origin: URL): void {
  const upstream: Socket = connect({ host: origin.hostname, port: Number(origin.port) }, () => {
    // The upgrade headers are hop-by-hop, but here they are the point: pass them on as the browser sent them.
    const headers = { ...forwardedHeaders(req), connection: req.headers.connection, upgrade: req.headers.upgrade };
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (const [name, value] of Object.entries(headers)) {
      for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) lines.push(`${name}: ${one}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const close = () => {
    upstream.destroy();
    client.destroy();
  };
  upstream.on('error', close);
  client.on('error', close);
  upstream.on('close', close);
  client.on('close', close);
}

/**
 * The security headers a dev server needs: Vite's React plugin puts its hot-reload preamble in an inline script and
 * injects styles as <style> elements, which the platform's CSP (`'self'` only) refuses. Only `make dev` serves these;
 * `make up` and every environment keep the strict policy.
 */
export function allowDevServer(headers: Readonly<Record<string, string>>): Record<string, string> {
  const csp = headers['Content-Security-Policy'];
  if (!csp) return { ...headers };
  return {
    ...headers,
    'Content-Security-Policy': csp
      .replace(/script-src 'self'/, "script-src 'self' 'unsafe-inline'")
      .replace(/style-src 'self'/, "style-src 'self' 'unsafe-inline'"),
  };
}
