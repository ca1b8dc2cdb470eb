/**
 * The local edge (the same server `make up` runs) with its response-dropping fault armed per drill: for a while,
 * requests that match reach the API, which answers and commits, and then the client's connection is reset instead of
 * the answer forwarded — responses lost on their way back.
 */
import type { IncomingMessage, Server } from 'node:http';
import { join } from 'node:path';
import { toHttpHeaders } from '@innovate/config/security-headers';
import { allowIdentityProvider, createEdgeServer, listen } from '@innovate/local/src/edge/server.ts';
import { SPA_CLIENT_ID } from '@innovate/local/src/oidc/client.ts';

export interface SeenRequest {
  /** Date.now() when the request reached the edge. */
  at: number;
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** Whether the edge dropped the answer. */
  dropped: boolean;
}

export class LossyEdge {
  private server: Server | undefined;
  private match: (req: IncomingMessage) => boolean = () => false;
  private healed: () => boolean = () => true;
  /** Every request that matched the armed fault, dropped or not, in order. */
  readonly matched: SeenRequest[] = [];
  url = '';

  constructor(
    private readonly repoRoot: string,
    private readonly apiOrigin: URL,
    /** The OpenID issuer the SPA signs in with (/config.json). */
    private readonly issuer: string,
    /** The port to listen on: chosen ahead, so the provider can list this edge's sign-in callback. */
    private readonly port = 0,
  ) {}

  /**
   * Breaks the way back for requests that match, until `healed()` turns true: the answers to every matching request
   * that arrives before then are dropped. Not a count: a browser resends a request on its own, at once, when a reused
   * keep-alive connection is reset before the answer, so a count of one would be spent on the first try and the
   * browser's resend would hide the loss from the page. The drill heals the edge when the page has seen the loss.
   * Replaces what was armed before.
   */
  dropAnswers(match: (req: IncomingMessage) => boolean, until: () => boolean): void {
    this.match = match;
    this.healed = until;
  }

  async start(): Promise<void> {
    const server = createEdgeServer({
      staticDir: join(this.repoRoot, 'web', 'dist'),
      apiOrigin: this.apiOrigin,
      faults: { dropResponse: (req) => this.decide(req) },
      securityHeaders: allowIdentityProvider(toHttpHeaders(), this.issuer),
      runtimeConfig: { auth: { issuer: this.issuer, clientId: SPA_CLIENT_ID } },
    });
    const port = await listen(server, this.port);
    this.server = server;
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  private decide(req: IncomingMessage): boolean {
    if (!this.match(req)) return false;
    const now = Date.now();
    const dropped = !this.healed();
    const key = req.headers['idempotency-key'];
    this.matched.push({
      at: now,
      method: req.method ?? '?',
      path: req.url ?? '',
      idempotencyKey: Array.isArray(key) ? key[0] : key,
      dropped,
    });
    return dropped;
  }
}
