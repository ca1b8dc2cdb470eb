/**
 * The SPA's configuration, read once from Vite's build-time environment and validated at load: a bad value stops the
 * app with a message naming the variable instead of failing later on the first request.
 */
export interface WebConfig {
  /** Where the API's `/api/v1` lives. Same-origin path by default: the edge (local or CloudFront) routes `/api/*`. */
  apiBaseUrl: string;
  /** How long fetched data counts as fresh before React Query refetches it in the background. */
  staleTimeMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type RawEnv = Record<string, string | boolean | undefined>;

export function parseWebConfig(env: RawEnv): WebConfig {
  const apiBaseUrl = stringValue(env, 'VITE_API_BASE_URL') ?? '/api/v1';
  if (!isPathOrHttpUrl(apiBaseUrl)) {
    throw new ConfigError(`VITE_API_BASE_URL must be a path starting with "/" or an http(s) URL, got "${apiBaseUrl}"`);
  }
  const staleRaw = stringValue(env, 'VITE_STALE_TIME_MS') ?? '5000';
  const staleTimeMs = Number(staleRaw);
  if (!/^\d+$/.test(staleRaw) || !Number.isSafeInteger(staleTimeMs)) {
    throw new ConfigError(`VITE_STALE_TIME_MS must be a whole number of milliseconds, got "${staleRaw}"`);
  }
  return { apiBaseUrl: apiBaseUrl.replace(/\/+$/, ''), staleTimeMs };
}

function stringValue(env: RawEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string`);
  return value.trim();
}

function isPathOrHttpUrl(value: string): boolean {
  if (value.startsWith('/') && !value.startsWith('//')) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const config: WebConfig = parseWebConfig(import.meta.env);
