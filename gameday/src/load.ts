/**
 * The steady load every drill runs through the edge, as users would: workers that alternate a read (list a
 * project's tasks) and a write (create a task with an Idempotency-Key). A write that fails for a transient reason
 * (network error, 502, 503, 504) is retried with the SAME key until the API acknowledges it, so every acknowledged
 * write must exist exactly once afterwards (checked by `ledger.ts`), whatever the drill did in between.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadAuth } from './stack/identity.ts';

export interface Attempt {
  /** Date.now() when the attempt ended. */
  at: number;
  kind: 'read' | 'write';
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  detail: string;
}

export interface LoadOptions {
  /** The edge's URL (http://127.0.0.1:port). */
  baseUrl: string;
  projectId: string;
  /** The signed-in user every request is sent as; a 401 signs in again and retries. */
  auth: LoadAuth;
  workers?: number;
  /** Pause between two requests of one worker: the load stays steady, far below saturation. */
  pauseMs?: number;
  /** How long one write keeps retrying its key before it is counted as never acknowledged. */
  writeDeadlineMs?: number;
}

// 401: the token was refused (e.g. a restarted provider): signed in again before the retry.
const TRANSIENT = new Set([0, 401, 502, 503, 504]);

export class SteadyLoad {
  sent = 0;
  reads = 0;
  /** Every attempt that did not succeed. */
  readonly failures: Attempt[] = [];
  /** Idempotency-Key (also the task's title) → Date.now() of the acknowledgement. */
  readonly acknowledged = new Map<string, number>();
  /** Keys whose writes were given up (deadline) — never acknowledged. */
  readonly abandoned = new Set<string>();
  /** Date.now() of every success, in order (for recovery times). */
  readonly successes: number[] = [];
  private stopping = false;
  private workers: Promise<void>[] = [];

  constructor(private readonly options: LoadOptions) {}

  get url(): string {
    return `${this.options.baseUrl}/api/v1/projects/${this.options.projectId}/tasks`;
  }

  start(): void {
    for (let index = 0; index < (this.options.workers ?? 4); index++) this.workers.push(this.work());
  }

  /** Stops issuing requests; resolves when every worker finished its current write (acknowledged or abandoned). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers);
  }

  failedCount(): number {
    return this.failures.length;
  }

  /** The first success at or after `since` (Date.now()), waiting up to `timeoutMs`; undefined if none came. */
  async firstSuccessAfter(since: number, timeoutMs = 30_000): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.successes.find((at) => at >= since);
      if (found !== undefined) return found;
      await sleep(20);
    }
    return undefined;
  }

  /** Lets the load run for `ms`. */
  async runFor(ms: number): Promise<void> {
    await sleep(ms);
  }

  private async work(): Promise<void> {
    const pause = this.options.pauseMs ?? 80;
    while (!this.stopping) {
      await this.read();
      await sleep(pause);
      await this.write();
      await sleep(pause);
    }
  }

  private async read(): Promise<void> {
    const outcome = await this.attempt('read', () =>
      fetch(`${this.url}?limit=20`, {
        headers: { Authorization: this.options.auth.header() },
        signal: AbortSignal.timeout(15_000),
      }),
    );
    if (outcome.ok) this.reads++;
  }

  private async write(): Promise<void> {
    const key = randomUUID();
    const deadline = Date.now() + (this.options.writeDeadlineMs ?? 30_000);
    while (Date.now() < deadline) {
      const outcome = await this.attempt('write', () =>
        fetch(this.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
            Authorization: this.options.auth.header(),
          },
          body: JSON.stringify({ title: key }),
          signal: AbortSignal.timeout(15_000),
        }),
      );
      if (outcome.ok) {
        this.acknowledged.set(key, Date.now());
        return;
      }
      if (!TRANSIENT.has(outcome.status)) break;
      await sleep(100); // sooner than Retry-After: the drills measure how soon service is back
    }
    this.abandoned.add(key);
  }

  private async attempt(
    kind: Attempt['kind'],
    send: () => Promise<Response>,
  ): Promise<{ ok: boolean; status: number }> {
    this.sent++;
    let status = 0;
    let detail = '';
    try {
      const response = await send();
      status = response.status;
      const body = await response.text();
      if (response.ok) {
        this.successes.push(Date.now());
        return { ok: true, status };
      }
      detail = body.slice(0, 200);
      if (status === 401) await this.options.auth.renew().catch(() => {});
    } catch (error) {
      detail = `${(error as Error).name}: ${(error as Error).message}`;
    }
    this.failures.push({ at: Date.now(), kind, status, detail });
    return { ok: false, status };
  }
}

/** Creates the project the load writes into; resolves with its id. */
export async function createProject(baseUrl: string, name: string, auth: LoadAuth): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/projects`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), Authorization: auth.header() },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201)
    throw new Error(`creating project ${name}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** One line per kind of failure, with counts: "503 write ×12 (database unavailable)". */
export function describeFailures(failures: readonly Attempt[]): string[] {
  const groups = new Map<string, number>();
  for (const failure of failures) {
    const label = `${failure.status || 'no response'} ${failure.kind}: ${failure.detail.slice(0, 80)}`;
    groups.set(label, (groups.get(label) ?? 0) + 1);
  }
  return [...groups].map(([label, count]) => `${count}× ${label}`);
}
