import { describe, expect, it } from 'vitest';
import { fetchAllPages } from './pages';

describe('fetchAllPages', () => {
  it('follows next_cursor until it is null, in order', async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      start: { items: [1, 2], next_cursor: 'c1' },
      c1: { items: [3, 4], next_cursor: 'c2' },
      c2: { items: [5], next_cursor: null },
    };
    const asked: (string | undefined)[] = [];
    const items = await fetchAllPages(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? 'start'] ?? { items: [], next_cursor: null };
    });
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, 'c1', 'c2']);
  });

  it('fails instead of looping forever when a cursor comes back', async () => {
    await expect(fetchAllPages(async () => ({ items: [1], next_cursor: 'same' }))).rejects.toThrow(
      'pagination repeated cursor same',
    );
  });
});
