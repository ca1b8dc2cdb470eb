/**
 * The drills' ground truth: what the database holds after a drill, compared with what the API acknowledged. A task's
 * title is its write's Idempotency-Key, so a key that produced two rows is a doubled write and an acknowledged key
 * with no row is a lost one.
 */
import pg from 'pg';

export interface LedgerCheck {
  lost: string[];
  doubled: string[];
  /** Rows of writes that were given up by the client (committed, but the answer never arrived): allowed. */
  presentButUnacknowledged: number;
}

export async function checkWrites(
  databaseUrl: string,
  projectId: string,
  acknowledged: Iterable<string>,
): Promise<LedgerCheck> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ title: string; n: string }>(
      'SELECT title, count(*) AS n FROM tasks WHERE project_id = $1 GROUP BY title',
      [projectId],
    );
    const counts = new Map(rows.rows.map((row) => [row.title, Number(row.n)]));
    const acked = new Set(acknowledged);
    return {
      lost: [...acked].filter((key) => !counts.has(key)),
      doubled: [...counts].filter(([, n]) => n > 1).map(([key]) => key),
      presentButUnacknowledged: [...counts.keys()].filter((key) => !acked.has(key)).length,
    };
  } finally {
    await client.end();
  }
}
