import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client';

describe('API client', () => {
  it('sends the current access token as a bearer token on every request', async () => {
    const seen: (string | null)[] = [];
    let token = 'first';
    const api = createApiClient({
      baseUrl: 'http://app.test',
      accessToken: () => token,
      fetch: async (request) => {
        seen.push(request.headers.get('Authorization'));
        return new Response(JSON.stringify({ items: [], next_cursor: null }), {
          headers: { 'Content-Type': 'application/json' },
        });
      },
    });
    await api.GET('/api/v1/projects');
    token = 'renewed';
    await api.GET('/api/v1/projects');
    expect(seen).toEqual(['Bearer first', 'Bearer renewed']);
  });

  it('asks to sign in again when the API answers 401', async () => {
    const onUnauthorized = vi.fn();
    const api = createApiClient({
      baseUrl: 'http://app.test',
      accessToken: () => 'expired',
      onUnauthorized,
      fetch: async () => new Response('{}', { status: 401, headers: { 'Content-Type': 'application/problem+json' } }),
    });
    await api.GET('/api/v1/projects');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});
