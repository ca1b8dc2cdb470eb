/**
 * Prints an access token for the contract smoke (`make smoke-api`), got the way the SPA gets one: a real Chromium
 * opens the app at the given URL, signs in through the environment's login page (sign-in.ts) and the token is read
 * from the SPA's own answer from the issuer's token endpoint (named by the app's /config.json). Nothing is minted
 * or shortcut: the token is for the SPA's client, as the API requires.
 *
 *   node --import tsx web/e2e/access-token.ts <app-url> <credentials env prefix>...
 *
 * One line per prefix (e.g. SMOKE_USER SMOKE_OTHER_USER), in order; one browser, a fresh context per user.
 */
import { chromiumLaunchOptions } from '@innovate/config/chromium';
import { type Browser, chromium } from 'playwright-core';
import { type Credentials, credentialsFromEnv, signInIfAsked } from './sign-in';

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

export async function accessTokens(appUrl: string, envPrefixes: string[]): Promise<string[]> {
  const users = envPrefixes.map((prefix) => credentialsFromEnv(prefix));
  const endpoint = await tokenEndpoint(appUrl);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const tokens: string[] = [];
    for (const credentials of users) tokens.push(await accessToken(browser, appUrl, endpoint, credentials));
    return tokens;
  } finally {
    await browser.close();
  }
}

async function accessToken(browser: Browser, appUrl: string, endpoint: string, credentials: Credentials) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
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
    await context.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [appUrl, ...prefixes] = process.argv.slice(2);
  if (!appUrl || prefixes.length === 0) {
    console.error('usage: access-token.ts <app-url> <credentials env prefix>...');
    process.exit(2);
  }
  accessTokens(appUrl.replace(/\/+$/, ''), prefixes).then(
    (tokens) => console.log(tokens.join('\n')),
    (error: unknown) => {
      console.error(`access-token: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      process.exit(1);
    },
  );
}
