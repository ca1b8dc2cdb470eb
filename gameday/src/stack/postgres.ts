/**
 * A PostgreSQL for one drill, run by the local system's runner (`@innovate/local`'s `postgres/runner.ts`, the same
 * server `make up` starts) as a child process in its own process group, so a drill can kill it the way a host dies: SIGKILL to the
 * runner, the postmaster and every backend at once. fsync stays on: a crash must keep every committed write.
 */
import { startPostgresRunner } from '@innovate/local/src/postgres/runner.ts';
import { ExitedBeforeReady } from '@innovate/local/src/supervisor/announced-child.ts';
import type { Child } from '@innovate/local/src/supervisor/child.ts';
import { freePort } from '@innovate/local/src/supervisor/ports.ts';
import pg from 'pg';

export interface PostgresOptions {
  repoRoot: string;
  dataDir: string;
  /** Fixed across restarts, so the API's DATABASE_URL stays valid (a failover keeps the endpoint). */
  port?: number;
  /** More server settings, e.g. WAL archiving. */
  settings?: Readonly<Record<string, string>>;
}

export class DrillPostgres {
  private child: Child | undefined;
  /** The superuser URL of the application database (`innovate`). */
  url = '';
  port = 0;

  constructor(readonly options: PostgresOptions) {}

  /** Starts (or restarts on the same port and data) and resolves when it accepts connections. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.port ||= this.options.port ?? (await freePort());
    const runner = startPostgresRunner({
      repoRoot: this.options.repoRoot,
      clusterDir: this.options.dataDir,
      port: this.port,
      settings: this.options.settings ?? {},
    });
    this.child = runner.child;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`PostgreSQL not ready in ${timeoutMs} ms`)), timeoutMs);
    });
    const announced = runner.announced.catch((error: unknown) => {
      if (!(error instanceof ExitedBeforeReady)) throw error;
      throw new Error(`PostgreSQL runner exited with code ${error.code}: ${error.lastLines.join(' | ')}`);
    });
    try {
      this.url = await Promise.race([announced, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL to the whole process group: the runner, the postmaster and its backends, as when the host dies. */
  async kill(): Promise<void> {
    await this.child?.stop({ signal: 'SIGKILL', group: true, graceMs: 5_000 });
  }

  /** Fast shutdown: everything committed is kept. */
  async stop(): Promise<void> {
    await this.child?.stop({ signal: 'SIGTERM', group: false, graceMs: 30_000 });
  }

  /** Runs `fn` with a superuser connection (to the application database unless `database` names another). */
  async withClient<T>(fn: (client: pg.Client) => Promise<T>, database?: string): Promise<T> {
    const url = new URL(this.url);
    if (database) url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
}
