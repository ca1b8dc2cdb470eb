/**
 * The local OpenID provider: `oidc-provider` (OpenID-certified) configured to hand the SPA what Amazon Cognito does —
 * authorization code + PKCE for a public client (no secret), RS256 JWT access tokens shaped like Cognito's
 * (`iss`, `sub`, `client_id`, `token_use: "access"`, `scope`, `username`; `aud` is the client id too), refresh tokens for silent renew,
 * and sign-out through the end-session endpoint. Only the sign-in page is ours (email + password against the users
 * file); the protocol, tokens and keys are the library's.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { SPA_CLIENT_ID } from './client.ts';
import { errorPage, signedOutPage, signInPage, signOutPage } from './pages.ts';
import { authenticate, type LocalUser } from './users.ts';

export { SPA_CLIENT_ID };
/** The API's resource indicator: every access token is issued for it (the SPA need not send `resource`). */
export const API_RESOURCE = 'urn:innovate:api';
/** OIDC scopes the SPA asks for (as from Cognito). */
export const SPA_SCOPES = 'openid email';
/** The API's own scope on the resource server, granted with every sign-in (the SPA need not ask for it). */
const API_SCOPE = 'innovate/api';

export interface OidcServerOptions {
  /** Port on 127.0.0.1; 0 lets the OS pick. */
  port: number;
  users: readonly LocalUser[];
  /** Origins of the SPA (the edge's URL): `<origin>/auth/callback` is a redirect URI, `<origin>/` the sign-out one. */
  spaOrigins: readonly string[];
  /** Lifetime of access tokens (Cognito's default is an hour; shorter exercises renewal). */
  accessTokenSeconds: number;
  /** Log one line per sign-in and per refused sign-in. */
  onLog?: (line: string) => void;
}

export interface OidcServer {
  issuer: string;
  server: Server;
  close(): Promise<void>;
}

/** A fresh RS256 signing key (a private JWK with its `kid`) for this process's lifetime. */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

function configuration(options: OidcServerOptions, users: Map<string, LocalUser>): Configuration {
  return {
    jwks: { keys: [signingKey()] },
    clients: [
      {
        client_id: SPA_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.spaOrigins.map((origin) => `${origin}/auth/callback`),
        post_logout_redirect_uris: options.spaOrigins.map((origin) => `${origin}/`),
      },
    ],
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: user.email, email_verified: true }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // Keys live only as long as the process: a restart signs users out (the SPA signs in again), as a rotated
    // Cognito key would if its JWKS were not published ahead. Cookie keys likewise.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = signOutPage(form);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = signedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return {
            scope: API_SCOPE,
            // The library requires an audience on JWT access tokens (Cognito's have none): the SPA's client id,
            // which the API accepts in `aud` as it does in `client_id`.
            audience: SPA_CLIENT_ID,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenSeconds,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken') return undefined;
      const user = token.accountId ? users.get(token.accountId) : undefined;
      return { token_use: 'access', ...(user ? { username: user.email } : {}) };
    },
    // Cognito gives the SPA a refresh token with every sign-in (no offline_access scope there): so does this.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: options.accessTokenSeconds,
      Session: 8 * 3600,
      Interaction: 600,
      Grant: 30 * 86_400,
      RefreshToken: 30 * 86_400,
      AuthorizationCode: 60,
      IdToken: 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async renderError(ctx: KoaContextWithOIDC, out) {
      ctx.type = 'html';
      ctx.body = errorPage(`${out.error}: ${out.error_description ?? ''}`);
    },
  };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res: ServerResponse, status: number, html: string, formTargets: readonly string[] = []): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    // form-action also governs where the form's redirects may lead: at the end, the SPA's callback.
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${formTargets.join(' ')}; frame-ancestors 'none'`,
  });
  res.end(html);
}

/**
 * The interaction pages. Login: the form, checked against the users file. Consent: granted at once — the SPA is the
 * platform's own first-party client, and Cognito's managed login asks no consent either.
 */
function interactionHandler(
  provider: Provider,
  users: readonly LocalUser[],
  spaOrigins: readonly string[],
  log: (line: string) => void,
) {
  return async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const formAction = `/interaction/${uid}/login`;
    if (details.prompt.name === 'login') {
      if (req.method === 'GET' && action === undefined)
        return sendHtml(res, 200, signInPage({ action: formAction }), spaOrigins);
      if (req.method === 'POST' && action === 'login') {
        const form = await readForm(req);
        const email = form.get('email') ?? '';
        const user = authenticate(users, email, form.get('password') ?? '');
        if (!user) {
          log(`sign-in refused for ${JSON.stringify(email.slice(0, 80))}`);
          return sendHtml(
            res,
            401,
            signInPage({ action: formAction, email, error: 'Wrong email or password.' }),
            spaOrigins,
          );
        }
        log(`signed in ${user.email}`);
        return provider.interactionFinished(
          req,
          res,
          { login: { accountId: user.sub } },
          { mergeWithLastSubmission: false },
        );
      }
    }
    if (details.prompt.name === 'consent') {
      const { session, params } = details;
      if (!session?.accountId) throw new Error('consent without a session');
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
      if (!grant) throw new Error('grant not found');
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      grant.addResourceScope(API_RESOURCE, API_SCOPE);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    sendHtml(res, 400, errorPage(`unexpected step ${details.prompt.name}`));
  };
}

/** Starts the provider on 127.0.0.1 and resolves once it listens; its issuer is `http://127.0.0.1:<port>`. */
export async function startOidcServer(options: OidcServerOptions): Promise<OidcServer> {
  const log = options.onLog ?? (() => {});
  const usersBySub = new Map(options.users.map((user) => [user.sub, user]));
  // Bind first: the issuer must name the port, and the port is known only once bound when 0 was asked for.
  const server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => done());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, configuration(options, usersBySub));
  // A 500 from the library would otherwise leave no trace.
  provider.on('server_error', (_ctx: unknown, error: Error) => log(`server error: ${error.stack ?? error.message}`));
  const handleInteraction = interactionHandler(provider, options.users, options.spaOrigins, log);
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!match?.[1]) {
      void callback(req, res);
      return;
    }
    handleInteraction(req, res, match[1], match[2]).catch((error: Error) => {
      if (!res.headersSent)
        sendHtml(res, 400, errorPage(`this sign-in cannot continue (${error.message}); start again from the app`));
      else res.end();
    });
  });
  return {
    issuer,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
