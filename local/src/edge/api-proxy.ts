/**
 * `/api/*` → the API, the way CloudFront forwards to the ALB origin: bodies stream through in both directions (no
 * buffering), hop-by-hop headers stay on their hop, and the API learns the client's address, scheme and host from
 * X-Forwarded-*. X-Request-Id is passed on, or set here when the client sent none, so the edge's access log line and
 * the API's log lines share one id.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';

// RFC 9110 §7.6.1: connection-specific headers a proxy must not forward.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** CloudFront's default origin response timeout. */
export const ORIGIN_TIMEOUT_MS = 30_000;

export interface ApiProxyOptions {
  /** Where the API listens, e.g. http://127.0.0.1:8000. */
  origin: URL;
  /** Headers set on every response (the security headers), over whatever the API sent. */
  responseHeaders: Readonly<Record<string, string>>;
  timeoutMs?: number;
  /** Fault injection: let the API answer in full, then reset the client's connection instead of forwarding it. */
  dropResponse?: boolean;
  /** What the origin is called in a 502/504 problem (default "The API"; `make dev` proxies the SPA's dev server too). */
  originName?: string;
}

export function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const listed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name) && !listed.has(name) && value !== undefined) kept[name] = value;
  }
  return kept;
}

export function forwardedHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const headers = withoutHopByHop(req.headers);
  const clientIp = req.socket.remoteAddress ?? '';
  const prior = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${prior}, ${clientIp}` : clientIp;
  headers['x-forwarded-proto'] = 'http';
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  headers['x-request-id'] = firstValue(req.headers['x-request-id']) || randomUUID();
  return headers;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Proxies one request; resolves when the response has been sent (or the client went away). */
export function proxyToApi(req: IncomingMessage, res: ServerResponse, options: ApiProxyOptions): Promise<void> {
  const headers = forwardedHeaders(req);
  // The id the API will see; the caller's access log uses it too.
  res.setHeader('X-Request-Id', String(headers['x-request-id']));
  return new Promise((done) => {
    const upstream = request(
      {
        protocol: options.origin.protocol,
        hostname: options.origin.hostname,
        port: options.origin.port,
        method: req.method,
        path: req.url,
        headers,
        timeout: options.timeoutMs ?? ORIGIN_TIMEOUT_MS,
      },
      (answer) => {
        if (options.dropResponse) {
          // Read the whole answer first, so the API has finished (committed) before the client sees the reset.
          answer.resume();
          answer.on('end', () => {
            req.socket.resetAndDestroy();
            done();
          });
          answer.on('error', () => {
            req.socket.resetAndDestroy();
            done();
          });
          return;
        }
        const outgoing = withoutHopByHop(answer.headers);
        for (const [name, value] of Object.entries(outgoing)) if (value !== undefined) res.setHeader(name, value);
        for (const [name, value] of Object.entries(options.responseHeaders)) res.setHeader(name, value);
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage);
        answer.pipe(res);
        answer.on('end', done);
        answer.on('error', () => {
          res.destroy();
          done();
        });
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('origin timeout')));
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        const timedOut = error.message === 'origin timeout';
        sendProblem(
          res,
          timedOut ? 504 : 502,
          timedOut ? 'Gateway Timeout' : 'Bad Gateway',
          options.responseHeaders,
          `${options.originName ?? 'The API'} ${timedOut ? 'did not answer in time.' : 'is not reachable.'}`,
        );
      } else {
        res.destroy();
      }
      done();
    });
    // A client that goes away cancels the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
}

export function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  extraHeaders: Readonly<Record<string, string>>,
  detail: string,
): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res.writeHead(status, {
    ...extraHeaders,
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
