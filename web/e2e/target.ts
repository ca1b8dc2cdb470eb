/**
 * What the browser suite runs against: the local system (`make up`'s supervisor on a free port, its printed
 * development user) by default, or, when SMOKE_APP_URL is set, a deployed environment's URL signed in as its test
 * user (SMOKE_USER_EMAIL, SMOKE_USER_PASSWORD, SMOKE_USER_TOTP_SECRET): what `make smoke-browser` runs.
 */
import type { MakeUpProcess } from '@innovate/local/src/make-up-process.ts';
import { type Credentials, credentialsFromEnv } from './sign-in';
import { freePort, startStack } from './stack';

export interface Target {
  /** The app's origin, no trailing slash. */
  url: string;
  credentials: Credentials;
  /** The local supervisor, when the suite started one (stop/restart checks only make sense then). */
  stack?: MakeUpProcess;
}

/** SMOKE_APP_URL as an origin: an http(s) URL, trailing slash dropped; a bad value fails naming the variable. */
export function remoteUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.SMOKE_APP_URL;
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`SMOKE_APP_URL: not a URL: ${JSON.stringify(raw)}`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new Error(`SMOKE_APP_URL: must be http(s), got ${url.protocol}`);
  return url.origin;
}

/** The remote target when SMOKE_APP_URL is set, otherwise a freshly started local system on `dataDir`. */
export async function openTarget(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const url = remoteUrl(env);
  if (url) return { url, credentials: credentialsFromEnv('SMOKE_USER', env) };
  return localTarget(dataDir);
}

export async function localTarget(dataDir: string): Promise<Target> {
  const stack = await startStack({ port: await freePort(), dataDir });
  return { url: stack.url, credentials: stack.credentials, stack };
}
