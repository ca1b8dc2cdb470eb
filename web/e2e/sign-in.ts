/**
 * Signing in through the environment's login page in a real browser, as a user does: the local provider's page under
 * `make up`, Cognito's managed login in AWS (ADR 0093). The pages differ in wording and in steps (email and password
 * on one page or two, then a TOTP code where MFA is required), so each round fills whatever fields the page shows,
 * found by their accessible labels, and submits, until the app's header appears.
 */
import type { Page } from 'playwright-core';
import { totp } from './totp';

export interface Credentials {
  email: string;
  password: string;
  /** Base32 TOTP secret of the user's enrolled authenticator; needed where the pool requires MFA. */
  totpSecret?: string;
}

/** Reads `<prefix>_EMAIL`, `<prefix>_PASSWORD` and optional `<prefix>_TOTP_SECRET`; names the missing variable. */
export function credentialsFromEnv(prefix: string, env: NodeJS.ProcessEnv = process.env): Credentials {
  const email = env[`${prefix}_EMAIL`];
  const password = env[`${prefix}_PASSWORD`];
  if (!email) throw new Error(`${prefix}_EMAIL is not set (the test user's email)`);
  if (!password) throw new Error(`${prefix}_PASSWORD is not set (the test user's password)`);
  const totpSecret = env[`${prefix}_TOTP_SECRET`] || undefined;
  return { email, password, ...(totpSecret ? { totpSecret } : {}) };
}

const EMAIL = /^(email|email address|username)$/i;
const PASSWORD = /^password$/i;
const CODE = /code/i;
const SUBMIT = /^(sign in|next|continue|submit|verify)$/i;
const MAX_ROUNDS = 4;

/** The login page when there is no session; otherwise the app comes straight back. Resolves once the app shows. */
export async function signInIfAsked(page: Page, credentials: Credentials): Promise<void> {
  const app = page.locator('header.app-header');
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const email = page.getByLabel(EMAIL);
    const password = page.getByLabel(PASSWORD);
    const code = page.getByLabel(CODE);
    await firstOf([app, email, password, code].map((l) => l.first().waitFor()));
    if (await app.isVisible()) return;
    if (await email.first().isVisible()) await email.first().fill(credentials.email);
    if (await password.first().isVisible()) await password.first().fill(credentials.password);
    if (await code.first().isVisible()) {
      if (!credentials.totpSecret) throw new Error('the login page asks for an MFA code and no TOTP secret was given');
      await code.first().fill(totp(credentials.totpSecret));
    }
    const before = page.url();
    await page.getByRole('button', { name: SUBMIT }).first().click();
    // The next page (or an error on this one): wait until the URL or the form changes before looking again.
    await firstOf([page.waitForURL((url) => url.href !== before), page.waitForLoadState('networkidle')]);
  }
  if (!(await app.isVisible()))
    throw new Error(`sign-in did not reach the app within ${MAX_ROUNDS} pages: ${page.url()}`);
}

/** The first of several waits to succeed; the others' later timeouts are not left as unhandled rejections. */
async function firstOf(waits: Promise<unknown>[]): Promise<void> {
  for (const wait of waits) wait.catch(() => undefined);
  await Promise.any(waits);
}
