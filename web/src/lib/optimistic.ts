/**
 * Optimistic updates with rollback, for React Query caches: apply the expected result at once, keep what was there,
 * and put it back if the server says no.
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query';

export interface Rollback {
  /** Restores the cache entry to what it was before `applyOptimistic`, unless nothing was there. */
  rollback(): void;
}

export async function applyOptimistic<T>(
  queryClient: QueryClient,
  queryKey: QueryKey,
  update: (current: T) => T,
): Promise<Rollback> {
  // A refetch that lands after the optimistic write would overwrite it with the old server state.
  await queryClient.cancelQueries({ queryKey });
  const previous = queryClient.getQueryData<T>(queryKey);
  if (previous !== undefined) queryClient.setQueryData<T>(queryKey, update(previous));
  return {
    rollback() {
      if (previous !== undefined) queryClient.setQueryData<T>(queryKey, previous);
    },
  };
}

/**
 * Refetches the server's truth once the last mutation touching `mutationKey` has settled: refetching while another
 * optimistic change is still in flight would make it flicker back.
 */
export function refreshWhenIdle(queryClient: QueryClient, mutationKey: QueryKey, queryKey: QueryKey): Promise<void> {
  // isMutating still counts the mutation whose onSettled is running.
  if (queryClient.isMutating({ mutationKey }) > 1) return Promise.resolve();
  return queryClient.invalidateQueries({ queryKey });
}
