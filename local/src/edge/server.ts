/**
 * The local edge: one port that mirrors CloudFront's two behaviours — `/api/*` to the API origin, everything else to
 * the SPA bucket with the index.html fallback — and the response headers policy (the security headers from
 * @innovate/config) on every response, whichever side produced it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { toHttpHeaders } from '@innovate/config/security-headers';
import { proxyToApi, sendProblem } from './api-proxy.ts';
import { proxyToDevServer, proxyUpgradeToDevServer } from './dev-server.ts';
import { staticFiles } from './static-files.ts';

export interface EdgeOptions {
  /** The built SPA (web/dist). */
  staticDir: string;
  /** `make dev`: the SPA comes from this dev server (Vite, hot reload) instead of `staticDir`. */
  spaDevServer?: URL;
  /**
   * The API origin, e.g. http://127.0.0.1:8000; or a function that picks one per request, as the ALB's weighted
   * target groups split traffic between the stable and the canary version (the game-day drills use it).
   */
  apiOrigin: URL | (() => URL);
  /** Defaults to the platform's security headers. */
  securityHeaders?: Readonly<Record<string, string>>;
  /** One line per request, after it finished. */
  onAccessLog?: (line: AccessLogLine) => void;
  /** Faults to inject, for drills; none unless given. Read on every request, so a drill can change them at runtime. */
  faults?: EdgeFaults;
  /**
   * The SPA's runtime configuration, served at `/config.json` (in AWS a file the spa-publish workflow writes to the
   * bucket from the environment's sign-in parameters). Undefined: `/config.json` is a file of `staticDir` like any
   * other.
   */
  runtimeConfig?: SpaRuntimeConfig;
}

/** What the SPA reads from `/config.json` at start. */
export interface SpaRuntimeConfig {
  auth: { issuer: string; clientId: string };
}

/** The SPA's runtime configuration path. */
export const RUNTIME_CONFIG_PATH = '/config.json';

export interface EdgeFaults {
  /**
   * Asked once per `/api/*` request. True: the request still goes to the API, which answers (and commits), but the
   * answer is thrown away and the client's connection reset — a response lost on its way back.
   */
  dropResponse?: (req: IncomingMessage) => boolean;
}

export interface AccessLogLine {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string | undefined;
}

/** CloudFront routes `/api/*` to the API; `/api` alone is no API path (it would be a client route). */
export function isApiPath(urlPath: string): boolean {
  return urlPath.startsWith('/api/');
}

export function createEdgeServer(options: EdgeOptions): Server {
  const headers = options.securityHeaders ?? toHttpHeaders();
  const spa = staticFiles(options.staticDir);

  const server = createServer(async (req, res) => {
    const started = performance.now();
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const urlPath = pathOf(req.url);
    res.on('finish', () =>
      options.onAccessLog?.({
        method: req.method ?? '?',
        path: req.url ?? '',
        status: res.statusCode,
        durationMs: performance.now() - started,
        requestId: res.getHeader('X-Request-Id')?.toString(),
      }),
    );
    try {
      if (urlPath === undefined) {
        sendProblem(res, 400, 'Bad Request', headers, 'The request target is not a path.');
      } else if (urlPath === RUNTIME_CONFIG_PATH && options.runtimeConfig) {
        sendRuntimeConfig(res, options.runtimeConfig);
      } else if (isApiPath(urlPath)) {
        const origin = typeof options.apiOrigin === 'function' ? options.apiOrigin() : options.apiOrigin;
        const dropResponse = options.faults?.dropResponse?.(req) ?? false;
        await proxyToApi(req, res, { origin, responseHeaders: headers, dropResponse });
        // 'finish' never comes for a dropped answer: log it here, with status 0 as the client saw none.
        if (dropResponse)
          options.onAccessLog?.({
            method: req.method ?? '?',
            path: `${req.url} (response dropped by fault injection)`,
            status: 0,
            durationMs: performance.now() - started,
            requestId: res.getHeader('X-Request-Id')?.toString(),
          });
      } else if (options.spaDevServer) {
        await proxyToDevServer(req, res, options.spaDevServer, headers);
      } else {
        await spa.handle(req, res, urlPath);
      }
    } catch (error) {
      if (!res.headersSent) sendProblem(res, 500, 'Internal Server Error', headers, 'The edge failed.');
      else res.destroy();
      options.onAccessLog?.({
        method: req.method ?? '?',
        path: `${req.url} (edge error: ${(error as Error).message})`,
        status: 500,
        durationMs: performance.now() - started,
        requestId: undefined,
      });
    }
  });
  const devServer = options.spaDevServer;
  if (devServer) server.on('upgrade', (req, socket, head) => proxyUpgradeToDevServer(req, socket, head, devServer));
  // Like CloudFront, keep client connections open between requests.
  server.keepAliveTimeout = 60_000;
  return server;
}

function sendRuntimeConfig(res: ServerResponse, config: SpaRuntimeConfig): void {
  const body = `${JSON.stringify(config)}\n`;
  // As the spa-publish workflow uploads it: revalidated on every load, so a changed issuer reaches every browser.
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache',
  });
  res.end(body);
}

/**
 * The security headers with the identity provider's origin allowed in `connect-src`: the SPA fetches its discovery
 * document, keys and token endpoint from there (in AWS the Cognito domain; locally the provider on loopback).
 */
export function allowIdentityProvider(
  headers: Readonly<Record<string, string>>,
  issuer: string,
): Record<string, string> {
  const origin = new URL(issuer).origin;
  const csp = headers['Content-Security-Policy'];
  if (!csp) return { ...headers };
  return { ...headers, 'Content-Security-Policy': csp.replace(/connect-src 'self'/, `connect-src 'self' ${origin}`) };
}

function pathOf(url: string | undefined): string | undefined {
  if (!url?.startsWith('/')) return undefined;
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** Binds the edge on `host:port`; a taken port becomes an error whose message is one readable line. */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((done, fail) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE')
        fail(new Error(`port ${port} on ${host} is already in use (set PORT to another port)`));
      else if (error.code === 'EACCES') fail(new Error(`no permission to listen on ${host}:${port}`));
      else fail(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      done(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
