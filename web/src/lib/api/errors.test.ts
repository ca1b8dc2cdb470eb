import { describe, expect, it } from 'vitest';
import { ApiError, call, describeError, problemToError } from './errors';

const response = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, statusText: 'Status Text', headers });

describe('problemToError', () => {
  it('reads an RFC 9457 problem with field errors and the request id', () => {
    const error = problemToError(response(422, { 'X-Request-Id': 'r-9' }), {
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The request body is invalid.',
      errors: [{ field: 'title', message: 'must be 1-200 characters' }, { bogus: true }],
    });
    expect(error.status).toBe(422);
    expect(error.fieldErrors).toEqual([{ field: 'title', message: 'must be 1-200 characters' }]);
    expect(error.requestId).toBe('r-9');
    expect(describeError(error)).toBe(
      'Unprocessable Content: The request body is invalid. — title: must be 1-200 characters',
    );
  });

  it('falls back to the status text when the body is no problem document', () => {
    expect(problemToError(response(502), '<html>bad gateway</html>').message).toBe('Status Text');
  });
});

describe('call', () => {
  it('turns a request that got no answer into a transient status-0 error', async () => {
    const error = await call(Promise.reject(new TypeError('fetch failed'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(0);
    expect((error as ApiError).isTransient).toBe(true);
  });

  it('says a stale version plainly', () => {
    expect(describeError(new ApiError(412, 'Precondition Failed', 'stale'))).toContain(
      'Someone else changed this first',
    );
  });
});
