/**
 * The entry: configuration, then sign-in, then the app. Only what the first step needs is in this chunk; React, the
 * router and the pages load after sign-in (`app/render.tsx`), so a visitor who is sent to sign in first downloads
 * little (web/scripts/check-bundle-size.ts measures it in make test).
 */
import { ConfigError, parseWebConfig, type WebConfig } from './config/env';
import { loadRuntimeConfig, RuntimeConfigError } from './config/runtime-config';
import { CALLBACK_PATH, startSession } from './lib/auth/auth';
import './app/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const mount = root;

function fail(message: string, error: unknown): never {
  // A bad setting is shown as one line naming it, not as a blank page.
  mount.textContent = message;
  throw error;
}

let config: WebConfig;
try {
  config = parseWebConfig(import.meta.env);
} catch (error) {
  fail(error instanceof ConfigError ? `This build is misconfigured: ${error.message}` : String(error), error);
}

async function start(): Promise<void> {
  const runtime = await loadRuntimeConfig().catch((error: unknown) =>
    fail(
      error instanceof RuntimeConfigError ? `This deployment is misconfigured: ${error.message}` : String(error),
      error,
    ),
  );
  // Back from signing in: fetch the app while the code is exchanged for tokens (otherwise the page is about to
  // leave for the identity provider and needs none of it).
  const app = window.location.pathname === CALLBACK_PATH ? import('./app/render') : undefined;
  const session = await startSession(runtime).catch((error: unknown) =>
    fail(`Signing in failed: ${(error as Error).message}. Reload the page to try again.`, error),
  );
  (await (app ?? import('./app/render'))).renderApp(mount, config, session);
}

void start();
