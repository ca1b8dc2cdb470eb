/**
 * The API as it runs in a pod: `innovate-api serve` (gunicorn) from a checkout's `api/.venv`, on a loopback port.
 * A drill may run two at once, from two checkouts (the previous release and this one), against one database.
 */
import { join } from 'node:path';
import { type Child, startChild } from '@innovate/local/src/supervisor/child.ts';
import { freePort } from '@innovate/local/src/supervisor/ports.ts';
import { waitUntilReady } from '@innovate/local/src/supervisor/readiness.ts';

export interface ApiOptions {
  /** Shown in logs and the report: e.g. "stable 4f2c1e0". */
  label: string;
  /** The `api/` folder of the checkout to run (its `.venv` must be synced). */
  apiDir: string;
  databaseUrl: string;
  /** More environment (API_* and DB_* settings). */
  env?: NodeJS.ProcessEnv;
}

export class DrillApi {
  private child: Child | undefined;
  port = 0;
  /** The last lines the API printed (its warnings and errors), for failure messages. */
  readonly lastLines: string[] = [];

  constructor(readonly options: ApiOptions) {}

  get origin(): URL {
    return new URL(`http://127.0.0.1:${this.port}`);
  }

  get label(): string {
    return this.options.label;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    this.port = await freePort();
    const child = startChild({
      name: this.options.label,
      command: join(this.options.apiDir, '.venv', 'bin', 'innovate-api'),
      args: ['serve'],
      cwd: this.options.apiDir,
      env: {
        ...process.env,
        DATABASE_URL: this.options.databaseUrl,
        API_BIND: `127.0.0.1:${this.port}`,
        LOG_LEVEL: 'WARNING',
        // No load balancer to wait for: the edge stops sending before a drill stops an API.
        API_DRAIN_SECONDS: '0',
        ...this.options.env,
      },
      onLine: (line) => {
        this.lastLines.push(line);
        if (this.lastLines.length > 50) this.lastLines.shift();
      },
    });
    this.child = child;
    await waitUntilReady(`${this.origin.href}readyz`, { timeoutMs, stillWorthWaiting: child.running }).catch(
      (error: Error) => {
        throw new Error(`${this.label}: ${error.message}; last lines: ${this.lastLines.slice(-5).join(' | ')}`);
      },
    );
  }

  /** GET /readyz: the status code and body (status 0 when nothing answered). */
  async readiness(): Promise<{ status: number; body: string }> {
    try {
      const response = await fetch(`${this.origin.href}readyz`, { signal: AbortSignal.timeout(2_000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: 0, body: (error as Error).message };
    }
  }

  /** SIGTERM and wait: gunicorn finishes in-flight requests first, as in a terminating pod. */
  async stop(): Promise<number> {
    return (await this.child?.stop({ signal: 'SIGTERM', group: false, graceMs: 30_000 })) ?? 0;
  }

  running(): boolean {
    return this.child?.running() ?? false;
  }
}

/** `innovate-api migrate` from a checkout, as the PreSync Job runs it; rejects with its one-line error. */
export async function migrate(apiDir: string, databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const lines: string[] = [];
  const child = startChild({
    name: 'migrate',
    command: join(apiDir, '.venv', 'bin', 'innovate-api'),
    args: ['migrate'],
    cwd: apiDir,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'WARNING', ...env },
    onLine: (line) => lines.push(line),
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`innovate-api migrate (${apiDir}) exited ${code}: ${lines.slice(-3).join(' | ')}`);
}
