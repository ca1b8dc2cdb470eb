/** React Query defaults: retry only what can succeed on a second try. */
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/errors';

export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError) return error.isTransient && failureCount < 3;
  return failureCount < 1;
}

export function createQueryClient(staleTimeMs: number): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: staleTimeMs, retry: shouldRetry, refetchOnWindowFocus: true },
      // Mutations are not retried by default: only creates carry an Idempotency-Key that makes a repeat safe.
      mutations: { retry: false },
    },
  });
}
