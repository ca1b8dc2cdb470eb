/**
 * The local OpenID provider: a real sign-in (code + PKCE through its sign-in page) yields a Cognito-shaped RS256
 * access token that verifies against its published keys; a wrong password is refused; the users file is generated
 * once and kept.
 */
import { createPublicKey, createVerify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OidcServer, SPA_CLIENT_ID, startOidcServer } from '../src/oidc/provider.ts';
import { signIn } from '../src/oidc/sign-in.ts';
import { DEVELOPER_EMAIL, type LocalUser, loadOrCreateUsers, SECOND_USER_EMAIL } from '../src/oidc/users.ts';

const SPA_ORIGIN = 'http://127.0.0.1:9';
const dir = mkdtempSync(join(tmpdir(), 'innovate-oidc-test-'));
const usersFile = join(dir, 'oidc', 'users.json');
let users: LocalUser[];
let server: OidcServer;

beforeAll(async () => {
  users = loadOrCreateUsers(usersFile);
  server = await startOidcServer({ port: 0, users, spaOrigins: [SPA_ORIGIN], accessTokenSeconds: 120 });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const part = (token: string, index: number) =>
  JSON.parse(Buffer.from(token.split('.')[index] ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('local OpenID provider', () => {
  it('creates two users with generated passwords in a private file, and keeps them', () => {
    expect(users.map((user) => user.email)).toEqual([DEVELOPER_EMAIL, SECOND_USER_EMAIL]);
    expect(users[0]?.password).toMatch(/^[\w-]{24}$/);
    expect(statSync(usersFile).mode & 0o777).toBe(0o600);
    expect(loadOrCreateUsers(usersFile)).toEqual(users);
  });

  it('signs in through its page and issues a Cognito-shaped access token signed by a published key', async () => {
    const developer = users[0] as LocalUser;
    const tokens = await signIn({
      issuer: server.issuer,
      clientId: SPA_CLIENT_ID,
      spaOrigin: SPA_ORIGIN,
      ...developer,
    });
    const header = part(tokens.access_token, 0);
    const claims = part(tokens.access_token, 1);
    expect(header.alg).toBe('RS256');
    expect(claims).toMatchObject({
      iss: server.issuer,
      sub: developer.sub,
      client_id: SPA_CLIENT_ID,
      token_use: 'access',
      username: DEVELOPER_EMAIL,
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(120);
    expect(tokens.refresh_token).toBeTruthy();

    const jwks = (await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> };
    const jwk = jwks.keys.find((key) => key.kid === header.kid);
    expect(jwk).toBeDefined();
    const [h, p, signature] = tokens.access_token.split('.');
    const verified = createVerify('RSA-SHA256')
      .update(`${h}.${p}`)
      .verify(createPublicKey({ key: jwk as never, format: 'jwk' }), Buffer.from(signature ?? '', 'base64url'));
    expect(verified).toBe(true);
  });

  it('refuses a wrong password at its sign-in page', async () => {
    await expect(
      signIn({
        issuer: server.issuer,
        clientId: SPA_CLIENT_ID,
        spaOrigin: SPA_ORIGIN,
        email: DEVELOPER_EMAIL,
        password: 'wrong',
      }),
    ).rejects.toThrow('refused the password');
  });

  it('refuses a redirect URI it does not know', async () => {
    const developer = users[0] as LocalUser;
    await expect(
      signIn({ issuer: server.issuer, clientId: SPA_CLIENT_ID, spaOrigin: 'http://127.0.0.1:10', ...developer }),
    ).rejects.toThrow(/HTTP 400/);
  });
});
