/**
 * Where the identity provider returns with the authorization code. Its own module so the entry can tell a return
 * from sign-in without loading the sign-in code (oidc-client-ts), which is a chunk of its own.
 */
export const CALLBACK_PATH = '/auth/callback';
