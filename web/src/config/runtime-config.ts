/**
 * The SPA's runtime configuration: `/config.json`, fetched once at start. In AWS the spa-publish workflow writes it
 * from the environment's sign-in parameters (Cognito issuer and app client id); locally the edge serves the local
 * provider's. Same code path either way. A bad file stops the app with a message naming the field.
 */
export interface RuntimeConfig {
  auth: {
    /** The OpenID issuer, exactly as in the tokens' `iss` (no trailing slash). */
    issuer: string;
    /** The SPA's app client id (a public client: no secret). */
    clientId: string;
    /**
     * Where sign-out goes when the issuer's discovery document names no `end_session_endpoint` (Cognito's managed
     * login signs out at `https://<domain>/logout`). Optional.
     */
    signOutUrl?: string | undefined;
  };
}

export const RUNTIME_CONFIG_PATH = '/config.json';

export class RuntimeConfigError extends Error {
  override name = 'RuntimeConfigError';
}

export async function loadRuntimeConfig(fetchFn: typeof fetch = fetch): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await fetchFn(RUNTIME_CONFIG_PATH, { cache: 'no-cache', headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new RuntimeConfigError(`${RUNTIME_CONFIG_PATH} could not be loaded (${(error as Error).message})`);
  }
  if (!response.ok) throw new RuntimeConfigError(`${RUNTIME_CONFIG_PATH} answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new RuntimeConfigError(`${RUNTIME_CONFIG_PATH} is not JSON`);
  }
  return parseRuntimeConfig(body);
}

export function parseRuntimeConfig(body: unknown): RuntimeConfig {
  const auth = (body as { auth?: unknown } | null)?.auth;
  if (typeof auth !== 'object' || auth === null) throw new RuntimeConfigError('config.json: auth must be an object');
  const { issuer, clientId, signOutUrl } = auth as Record<string, unknown>;
  if (typeof issuer !== 'string' || !isWebUrl(issuer) || issuer.endsWith('/')) {
    throw new RuntimeConfigError(
      `config.json: auth.issuer must be an http(s) URL without a trailing slash, got ${JSON.stringify(issuer)}`,
    );
  }
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw new RuntimeConfigError(
      `config.json: auth.clientId must be a non-empty string, got ${JSON.stringify(clientId)}`,
    );
  }
  if (signOutUrl !== undefined && (typeof signOutUrl !== 'string' || !isWebUrl(signOutUrl))) {
    throw new RuntimeConfigError(
      `config.json: auth.signOutUrl must be an http(s) URL, got ${JSON.stringify(signOutUrl)}`,
    );
  }
  return { auth: { issuer, clientId, signOutUrl } };
}

function isWebUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:');
}
