/**
 * A PostgreSQL for one drill, run by the local system's runner (`local/src/postgres/cli.ts`, the same server `make up`
 * starts) as a child process in its own process group, so a drill can kill it the way a host dies: SIGKILL to the
 * runner, the postmaster and every backend at once. fsync stays on: a crash must keep every committed write.
 */
import { join } from 'node:path';
import { type Child, startChild } from '@innovate/local/src/supervisor/child.ts';
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
    const settings = Object.entries(this.options.settings ?? {}).flatMap(([name, value]) => [
      '--set',
      `${name}=${value}`,
    ]);
    let announce: (url: string) => void = () => {};
    const announced = new Promise<string>((done) => {
      announce = done;
    });
    let lastLines: string[] = [];
    const child = startChild({
      name: 'postgres',
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        join('local', 'src', 'postgres', 'cli.ts'),
        '--data-dir',
        this.options.dataDir,
        '--port',
        String(this.port),
        ...settings,
      ],
      cwd: this.options.repoRoot,
      env: process.env,
      onLine: (line) => {
        const match = /^DATABASE_URL=(\S+)$/.exec(line.trim());
        if (match?.[1]) announce(match[1]);
        else lastLines = [...lastLines.slice(-20), line];
      },
    });
    this.child = child;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`PostgreSQL not ready in ${timeoutMs} ms`)), timeoutMs);
    });
    const died = child.exited.then((code) => {
      throw new Error(`PostgreSQL runner exited with code ${code}: ${lastLines.join(' | ')}`);
    });
    died.catch(() => {}); // only the race below reports it
    try {
      this.url = await Promise.race([announced, died, timeout]);
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
