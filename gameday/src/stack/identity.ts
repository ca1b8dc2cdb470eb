/**
 * Signed-in users for a drill: the local OpenID provider (the same one `make up` runs) started for the drill, and the
 * development user signed in through its sign-in page (code + PKCE, no browser), so the load and the smoke send the
 * same kind of access token the SPA does.
 */
import { join } from 'node:path';
import { SPA_CLIENT_ID } from '@innovate/local/src/oidc/client.ts';
import { startOidcRunner } from '@innovate/local/src/oidc/runner.ts';
import { signIn } from '@innovate/local/src/oidc/sign-in.ts';
import { DEVELOPER_EMAIL, type LocalUser, loadOrCreateUsers } from '@innovate/local/src/oidc/users.ts';
import { ExitedBeforeReady } from '@innovate/local/src/supervisor/announced-child.ts';
import type { Child } from '@innovate/local/src/supervisor/child.ts';
import { freePort } from '@innovate/local/src/supervisor/ports.ts';

/** What the load needs: the Authorization header, and a way to sign in again when the API refuses the token. */
export interface LoadAuth {
  header(): string;
  renew(): Promise<void>;
}

/** Where browserless sign-ins send their code: any registered origin does, the code never reaches it. */
const NO_SPA = 'http://127.0.0.1:9';

/** A session for `user` at `issuer`, renewed by signing in again (single flight: concurrent 401s share one). */
export class Session implements LoadAuth {
  private token = '';
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly issuer: () => Promise<string> | string,
    private readonly user: LocalUser,
    private readonly spaOrigin = NO_SPA,
  ) {}

  header(): string {
    return `Bearer ${this.token}`;
  }

  renew(): Promise<void> {
    this.renewing ??= (async () => {
      const tokens = await signIn({
        issuer: await this.issuer(),
        clientId: SPA_CLIENT_ID,
        spaOrigin: this.spaOrigin,
        email: this.user.email,
        password: this.user.password,
      });
      this.token = tokens.access_token;
    })().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }
}

export class DrillIdentity {
  private child: Child | undefined;
  issuer = '';
  readonly users: LocalUser[];
  readonly developer: LocalUser;
  readonly session: Session;

  /** `spaOrigins`: edges a browser will sign in through (their `/auth/callback` must be registered). */
  constructor(
    private readonly repoRoot: string,
    private readonly workDir: string,
    private readonly spaOrigins: readonly string[] = [],
  ) {
    this.users = loadOrCreateUsers(join(workDir, 'oidc', 'users.json'));
    const developer = this.users.find((user) => user.email === DEVELOPER_EMAIL);
    if (!developer) throw new Error('the drill users file has no development user');
    this.developer = developer;
    this.session = new Session(() => this.issuer, developer);
  }

  /** Starts the provider and signs the development user in. */
  async start(): Promise<void> {
    const provider = startOidcRunner({
      repoRoot: this.repoRoot,
      usersFile: join(this.workDir, 'oidc', 'users.json'),
      port: await freePort(),
      // Drills run for minutes: tokens outlive them, as Cognito's hour does.
      accessTokenSeconds: 3600,
      spaOrigins: [NO_SPA, ...this.spaOrigins],
    });
    this.child = provider.child;
    this.issuer = await provider.announced.catch((error: unknown) => {
      if (!(error instanceof ExitedBeforeReady)) throw error;
      throw new Error(`the OpenID provider exited with code ${error.code}: ${error.lastLines.slice(-3).join(' | ')}`);
    });
    await this.session.renew();
  }

  /** What an API process needs to verify this provider's tokens. */
  apiEnv(): NodeJS.ProcessEnv {
    return { AUTH_ISSUER: this.issuer, AUTH_CLIENT_ID: SPA_CLIENT_ID };
  }

  async stop(): Promise<void> {
    await this.child?.stop({ signal: 'SIGTERM', group: false, graceMs: 5_000 });
  }
}
