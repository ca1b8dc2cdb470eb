import { describe, expect, it } from 'vitest';
import { loadRuntimeConfig, parseRuntimeConfig, RuntimeConfigError } from './runtime-config';

const good = { auth: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', clientId: 'spa123' } };

describe('runtime config', () => {
  it('accepts the issuer and client id', () => {
    expect(parseRuntimeConfig(good).auth).toEqual({ ...good.auth, signOutUrl: undefined });
  });

  it.each([
    [{}, 'auth must be an object'],
    [{ auth: { ...good.auth, issuer: 'ftp://x' } }, 'auth.issuer must be an http(s) URL'],
    [
      { auth: { ...good.auth, issuer: 'https://issuer.example/' } },
      'auth.issuer must be an http(s) URL without a trailing slash',
    ],
    [{ auth: { ...good.auth, clientId: ' ' } }, 'auth.clientId must be a non-empty string'],
    [{ auth: { ...good.auth, signOutUrl: 'nope' } }, 'auth.signOutUrl must be an http(s) URL'],
  ])('refuses %j naming the field', (body, message) => {
    expect(() => parseRuntimeConfig(body)).toThrow(RuntimeConfigError);
    expect(() => parseRuntimeConfig(body)).toThrow(message);
  });

  it('says which status the file answered with', async () => {
    const fetch404 = async () => new Response('missing', { status: 404 });
    await expect(loadRuntimeConfig(fetch404)).rejects.toThrow('/config.json answered HTTP 404');
  });
});
