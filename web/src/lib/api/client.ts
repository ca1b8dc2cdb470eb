/**
 * The one way the SPA talks to the API: a typed client over the generated OpenAPI types (`generated/schema.ts`), so a
 * path, parameter or body that the API does not have fails the type check, not the user.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { operations, paths } from './generated/schema';

export type ApiClient = Client<paths>;

export function createApiClient(options: {
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  /** The signed-in user's access token, sent as `Authorization: Bearer` on every request. */
  accessToken?: () => string | undefined;
  /** Called when the API answers 401 (the token expired or was refused): sign in again. */
  onUnauthorized?: () => void;
}): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    // Read the global at call time (tests replace it); bind keeps `this` right in browsers.
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
    headers: { Accept: 'application/json' },
  });
  const { accessToken, onUnauthorized } = options;
  client.use({
    onRequest({ request }) {
      const token = accessToken?.();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized?.();
      return response;
    },
  });
  return client;
}

type JsonBody<R> = R extends { content: { 'application/json': infer B } } ? B : never;

// Entity types come from the operations' responses (named by operationId, fixed in the contract), not from schema
// component names, which are the API's implementation detail.
export type Project = JsonBody<operations['getProject']['responses'][200]>;
export type Task = JsonBody<operations['getTask']['responses'][200]>;
export type TaskStatus = Task['status'];

/** The If-Match value for a row: the API's ETag is the quoted row version. */
export function ifMatch(entity: { version: number }): string {
  return `"${entity.version}"`;
}

/** A new Idempotency-Key: one per user action, reused by every retry of that action. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
