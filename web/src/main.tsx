/**
 * The entry: configuration, then sign-in, then the app. This chunk holds configuration only. The sign-in code
 * (`lib/auth/auth.ts`, oidc-client-ts) and the app (`app/render.tsx`: React, the router, the pages) are chunks of
 * their own, fetched in parallel: a visitor sent to sign in never downloads React, and the signed-in app carries no
 * sign-in library (web/scripts/check-bundle-size.ts measures each path in make test).
 */
import { ConfigError, parseWebConfig, type WebConfig } from './config/env';
import { loadRuntimeConfig, RuntimeConfigError } from './config/runtime-config';
import { CALLBACK_PATH } from './lib/auth/callback-path';
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
  // Both fetched alongside /config.json, so splitting them out of the entry adds no round trip. The app only when
  // back from signing in: otherwise the page is about to leave for the identity provider and needs none of it.
  const signIn = import('./lib/auth/auth');
  const app = window.location.pathname === CALLBACK_PATH ? import('./app/render') : undefined;
  const runtime = await loadRuntimeConfig().catch((error: unknown) =>
    fail(
      error instanceof RuntimeConfigError ? `This deployment is misconfigured: ${error.message}` : String(error),
      error,
    ),
  );
  const session = await signIn
    .then(({ startSession }) => startSession(runtime))
    .catch((error: unknown) =>
      fail(`Signing in failed: ${(error as Error).message}. Reload the page to try again.`, error),
    );
  (await (app ?? import('./app/render'))).renderApp(mount, config, session);
}

void start();
