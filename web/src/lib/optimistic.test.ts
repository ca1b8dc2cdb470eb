import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { applyOptimistic, refreshWhenIdle } from './optimistic';

describe('applyOptimistic', () => {
  it('shows the expected result at once and restores the previous data on rollback', async () => {
    const client = new QueryClient();
    client.setQueryData(['tasks'], ['a', 'b']);
    const change = await applyOptimistic<string[]>(client, ['tasks'], (list) => [...list, 'c']);
    expect(client.getQueryData(['tasks'])).toEqual(['a', 'b', 'c']);
    change.rollback();
    expect(client.getQueryData(['tasks'])).toEqual(['a', 'b']);
  });

  it('cancels a fetch in flight, so its older answer cannot overwrite the optimistic data', async () => {
    const client = new QueryClient();
    client.setQueryData(['tasks'], ['a']);
    let answer: (value: string[]) => void = () => {};
    const refetch = client.fetchQuery({
      queryKey: ['tasks'],
      queryFn: () =>
        new Promise<string[]>((done) => {
          answer = done;
        }),
      staleTime: 0,
    });
    await applyOptimistic<string[]>(client, ['tasks'], (list) => [...list, 'b']);
    answer(['a']);
    await refetch.catch(() => {});
    expect(client.getQueryData(['tasks'])).toEqual(['a', 'b']);
  });

  it('leaves an empty cache entry alone', async () => {
    const client = new QueryClient();
    const change = await applyOptimistic<string[]>(client, ['nothing'], (list) => [...list, 'x']);
    expect(client.getQueryData(['nothing'])).toBeUndefined();
    change.rollback();
    expect(client.getQueryData(['nothing'])).toBeUndefined();
  });
});

describe('refreshWhenIdle', () => {
  it('refetches only once the last pending mutation of the key is the one settling', async () => {
    const client = new QueryClient();
    await client.fetchQuery({ queryKey: ['tasks'], queryFn: () => 1 });
    const mutationKey = ['tasks', 'p1'];
    const pending = () =>
      client.getMutationCache().build(client, { mutationKey, mutationFn: () => new Promise<void>(() => {}) });
    const settling = pending();
    const queued = pending();
    void settling.execute(undefined);
    void queued.execute(undefined);

    // isMutating counts the settling mutation itself: two pending means another change is still in flight.
    await refreshWhenIdle(client, mutationKey, ['tasks']);
    expect(client.getQueryState(['tasks'])?.isInvalidated).toBe(false);

    client.getMutationCache().remove(queued);
    await refreshWhenIdle(client, mutationKey, ['tasks']);
    expect(client.getQueryState(['tasks'])?.isInvalidated).toBe(true);
  });
});
