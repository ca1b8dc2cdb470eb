/**
 * Sign-in with the issuer from `/config.json` (Cognito in AWS, the local provider under `make up`), through
 * oidc-client-ts: authorization code + PKCE, public client. Tokens stay in memory only: a reload signs in again,
 * which the identity provider's own session answers without asking (a round trip, no form). Only the short-lived
 * sign-in state (PKCE verifier, where to return) crosses the redirect, in sessionStorage, and is removed on return.
 * Renewal: the refresh token before the access token expires; if that fails, sign in again.
 */
import { InMemoryWebStorage, type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { RuntimeConfig } from '../../config/runtime-config';
import { CALLBACK_PATH } from './callback-path';

export interface Auth {
  /** The current access token, or undefined before sign-in or after it expired. */
  accessToken(): string | undefined;
  /** The signed-in user's email (or subject), for the header. */
  userName(): string | undefined;
  /** Go to the identity provider and come back to `returnTo` (default: this page). */
  signIn(returnTo?: string): Promise<void>;
  signOut(): Promise<void>;
}

export interface Session {
  auth: Auth;
  /** Where to go after a completed sign-in (a path of this app). */
  returnTo: string;
}

function manager(config: RuntimeConfig, origin: string): UserManager {
  return new UserManager({
    authority: config.auth.issuer,
    client_id: config.auth.clientId,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: 'openid email',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
    // Cognito's discovery has no end_session_endpoint: its managed login signs out at /logout.
    ...(config.auth.signOutUrl ? { metadataSeed: { end_session_endpoint: config.auth.signOutUrl } } : {}),
  });
}

/** A same-origin path to return to, never an absolute URL (no open redirect through the sign-in state). */
function safePath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

/**
 * Completes a sign-in on the callback path, or starts one. Resolves with a session once signed in; never resolves
 * while the browser is being sent to the identity provider.
 */
export async function startSession(config: RuntimeConfig, location: Location = window.location): Promise<Session> {
  const users = manager(config, location.origin);
  let user: User | null = null;
  let returnTo = `${location.pathname}${location.search}`;
  if (location.pathname === CALLBACK_PATH) {
    user = await users.signinRedirectCallback(location.href);
    returnTo = safePath(user.state);
  }
  const auth: Auth = {
    accessToken: () => (user && !user.expired ? user.access_token : undefined),
    userName: () => (user?.profile.email as string | undefined) ?? user?.profile.sub,
    signIn: (to = `${location.pathname}${location.search}`) => users.signinRedirect({ state: safePath(to) }),
    signOut: async () => {
      const idToken = user?.id_token;
      user = null;
      await users.removeUser();
      await users.signoutRedirect({
        id_token_hint: idToken,
        extraQueryParams: { client_id: config.auth.clientId, logout_uri: `${location.origin}/` },
      });
    },
  };
  users.events.addUserLoaded((renewed) => {
    user = renewed;
  });
  // The refresh failed (revoked, provider restarted): sign in again rather than fail every request.
  users.events.addSilentRenewError(() => void auth.signIn());
  if (!user) {
    await auth.signIn();
    return new Promise<Session>(() => {}); // the page is leaving
  }
  return { auth, returnTo };
}
