/**
 * The local edge (the same server `make up` runs) in front of one or two API versions, split the way the ALB's
 * weighted target groups split a canary: `canaryPercent` of the requests to the canary, the rest to stable.
 */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { toHttpHeaders } from '@innovate/config/security-headers';
import { allowIdentityProvider, createEdgeServer, listen } from '@innovate/local/src/edge/server.ts';
import { SPA_CLIENT_ID } from '@innovate/local/src/oidc/client.ts';

export class CanaryEdge {
  private server: Server | undefined;
  private count = 0;
  canary: URL | undefined;
  /** 0–100. */
  canaryPercent = 0;
  url = '';

  constructor(
    private readonly repoRoot: string,
    public stable: URL,
    /** The OpenID issuer the SPA signs in with (/config.json), as under make up. */
    private readonly issuer: string,
  ) {}

  /** Deterministic: of every 100 consecutive requests, exactly `canaryPercent` go to the canary. */
  pick(): URL {
    this.count = (this.count + 1) % 100;
    return this.canary && this.count < this.canaryPercent ? this.canary : this.stable;
  }

  async start(): Promise<void> {
    const server = createEdgeServer({
      staticDir: join(this.repoRoot, 'web', 'dist'),
      apiOrigin: () => this.pick(),
      securityHeaders: allowIdentityProvider(toHttpHeaders(), this.issuer),
      runtimeConfig: { auth: { issuer: this.issuer, clientId: SPA_CLIENT_ID } },
    });
    const port = await listen(server, 0);
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
}
