/**
 * A real sign-in at an OpenID provider, as the SPA's browser does it, without a browser: authorization code + PKCE
 * for the SPA's public client, the provider's sign-in form posted with the user's email and password, its cookies
 * and redirects followed by hand until the redirect URI receives the code, then the code exchanged for tokens.
 * The game days use it to give their load a signed-in user; nothing is minted.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface SignInOptions {
  issuer: string;
  clientId: string;
  /** The SPA origin registered at the provider: `<origin>/auth/callback` receives the code. */
  spaOrigin: string;
  email: string;
  password: string;
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in: number;
}

/** Cookies by name, for the provider's origin only (all requests here go there). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair && at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export async function signIn(options: SignInOptions): Promise<Tokens> {
  const discovery = (await (await fetch(`${options.issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const redirectUri = `${options.spaOrigin}/auth/callback`;
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const start = new URL(discovery.authorization_endpoint);
  for (const [name, value] of Object.entries({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid email',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    start.searchParams.set(name, value);

  const jar = new CookieJar();
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(response);
    return response;
  };

  let url = start.href;
  let response = await go(url);
  for (let step = 0; step < 10; step++) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const target = new URL(location, url).href;
      if (target.startsWith(redirectUri)) return exchange(target);
      url = target;
      response = await go(url);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (response.status === 401) throw new Error(`the provider refused the password of ${options.email}`);
    if (response.status !== 200 || !action) throw new Error(`sign-in stopped at HTTP ${response.status} ${url}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    response = await go(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: options.email, password: options.password }).toString(),
    });
  }
  throw new Error('sign-in did not reach the redirect URI within 10 steps');

  async function exchange(callback: string): Promise<Tokens> {
    const query = new URL(callback).searchParams;
    const code = query.get('code');
    if (query.get('state') !== state || !code) throw new Error(`sign-in came back without a code: ${callback}`);
    const token = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: options.clientId,
        code_verifier: verifier,
      }).toString(),
    });
    if (!token.ok) throw new Error(`the token endpoint answered HTTP ${token.status}: ${await token.text()}`);
    return (await token.json()) as Tokens;
  }
}

/** What an edge serves at `/config.json`: the provider the SPA signs in at, and its client id. */
interface EdgeRuntimeConfig {
  auth: { issuer: string; clientId: string };
}

/**
 * Signs `user` in the way the SPA served by the edge at `edgeUrl` does: at the provider its `/config.json` names,
 * with the SPA's client id and origin. Resolves with the `Authorization` header value.
 */
export async function signInThroughEdge(edgeUrl: string, user: { email: string; password: string }): Promise<string> {
  const config = (await (await fetch(`${edgeUrl}/config.json`)).json()) as EdgeRuntimeConfig;
  const tokens = await signIn({
    issuer: config.auth.issuer,
    clientId: config.auth.clientId,
    spaOrigin: edgeUrl,
    email: user.email,
    password: user.password,
  });
  return `Bearer ${tokens.access_token}`;
}
