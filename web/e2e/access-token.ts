/**
 * Prints an access token for the contract smoke (`make smoke-api`), got the way the SPA gets one: a real Chromium
 * opens the app at the given URL, signs in through the environment's login page (sign-in.ts) and the token is read
 * from the SPA's own answer from the issuer's token endpoint (named by the app's /config.json). Nothing is minted
 * or shortcut: the token is for the SPA's client, as the API requires.
 *
 *   node --import tsx web/e2e/access-token.ts <app-url> [<credentials env prefix, default SMOKE_USER>]
 */
import { chromiumLaunchOptions } from '@innovate/local/src/browser/chromium.ts';
import { chromium } from 'playwright-core';
import { credentialsFromEnv, signInIfAsked } from './sign-in';

const TIMEOUT_MS = 60_000;

async function json(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The issuer's token endpoint, from the app's /config.json and the issuer's discovery document. */
export async function tokenEndpoint(appUrl: string): Promise<string> {
  const config = await json(`${appUrl}/config.json`);
  const issuer = (config.auth as { issuer?: unknown } | undefined)?.issuer;
  if (typeof issuer !== 'string') throw new Error(`${appUrl}/config.json: auth.issuer is missing`);
  const endpoint = (await json(`${issuer}/.well-known/openid-configuration`)).token_endpoint;
  if (typeof endpoint !== 'string') throw new Error(`${issuer}: the discovery document names no token_endpoint`);
  return endpoint;
}

export async function accessToken(appUrl: string, envPrefix: string): Promise<string> {
  const credentials = credentialsFromEnv(envPrefix);
  const endpoint = await tokenEndpoint(appUrl);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    const answer = page.waitForResponse((r) => r.url() === endpoint && r.request().method() === 'POST');
    answer.catch(() => undefined);
    await page.goto(appUrl);
    await signInIfAsked(page, credentials);
    const response = await answer;
    if (!response.ok()) throw new Error(`the token endpoint answered HTTP ${response.status()}`);
    const token = ((await response.json()) as { access_token?: unknown }).access_token;
    if (typeof token !== 'string') throw new Error('the token endpoint answered without an access_token');
    return token;
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [appUrl, prefix = 'SMOKE_USER'] = process.argv.slice(2);
  if (!appUrl) {
    console.error('usage: access-token.ts <app-url> [<credentials env prefix>]');
    process.exit(2);
  }
  accessToken(appUrl.replace(/\/+$/, ''), prefix).then(
    (token) => console.log(token),
    (error: unknown) => {
      console.error(`access-token: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      process.exit(1);
    },
  );
}
