/**
 * The SPA's configuration, read once from Vite's build-time environment (`main.tsx`) and validated before anything
 * renders: a bad value stops the app with a message naming the variable instead of failing on the first request.
 */
export interface WebConfig {
  /**
   * Where the API is, as an origin (`https://api.example.com`), or undefined for the page's own origin — the default,
   * because the edge (local or CloudFront) routes `/api/*` on the same host. The generated paths carry `/api/v1`.
   */
  apiOrigin: string | undefined;
  /** How long fetched data counts as fresh before React Query refetches it in the background. */
  staleTimeMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type RawEnv = Record<string, string | boolean | undefined>;

export function parseWebConfig(env: RawEnv): WebConfig {
  const origin = stringValue(env, 'VITE_API_ORIGIN');
  if (origin !== undefined && !isHttpOrigin(origin)) {
    throw new ConfigError(
      `VITE_API_ORIGIN must be an http(s) origin without a path, like https://example.com; got "${origin}"`,
    );
  }
  const staleRaw = stringValue(env, 'VITE_STALE_TIME_MS') ?? '5000';
  const staleTimeMs = Number(staleRaw);
  if (!/^\d+$/.test(staleRaw) || !Number.isSafeInteger(staleTimeMs)) {
    throw new ConfigError(`VITE_STALE_TIME_MS must be a whole number of milliseconds, got "${staleRaw}"`);
  }
  return { apiOrigin: origin === undefined ? undefined : new URL(origin).origin, staleTimeMs };
}

function stringValue(env: RawEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string`);
  return value.trim();
}

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      (url.pathname === '/' || url.pathname === '') &&
      !url.search
    );
  } catch {
    return false;
  }
}
