/** Cursor pagination: follows `next_cursor` until the API says there is no more. */

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/** The API's page size ceiling: fewer round trips for a board. */
export const MAX_PAGE_SIZE = 100;

export async function fetchAllPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    const next = page.next_cursor ?? undefined;
    // A cursor seen twice would loop forever; the API promises it never happens, so fail loudly if it does.
    if (next !== undefined && seen.has(next)) throw new Error(`pagination repeated cursor ${next}`);
    if (next !== undefined) seen.add(next);
    cursor = next;
  } while (cursor !== undefined);
  return items;
}
