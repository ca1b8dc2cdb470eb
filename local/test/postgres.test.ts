import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStartError, startPostgres } from '../src/postgres/server.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the local PostgreSQL server', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'innovate-pg-')), 'data');
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it('is a real PostgreSQL 18 that keeps committed data across a restart', async () => {
    const port = await freePort();
    const first = await startPostgres({ dataDir, port });
    const [row] = await query<{ server_version_num: string }>(first.url, 'show server_version_num');
    expect(Number(row?.server_version_num)).toBeGreaterThanOrEqual(180000);
    expect(Number(row?.server_version_num)).toBeLessThan(190000);
    await query(first.url, 'create table kept (id int primary key); insert into kept values (42)');
    await first.stop();

    const second = await startPostgres({ dataDir, port });
    stops.push(second.stop);
    expect(await query(second.url, 'select id from kept')).toEqual([{ id: 42 }]);
  }, 60_000);

  it('refuses a port that is taken, with a one-line reason', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      await expect(startPostgres({ dataDir: join(dataDir, '..', 'other'), port })).rejects.toThrowError(
        new PostgresStartError(`port ${port} on 127.0.0.1 is already in use`),
      );
    } finally {
      blocker.close();
    }
  });
});
