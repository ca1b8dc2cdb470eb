/** Polls an API's /readyz while a drill runs and keeps every answer that was not 200: a pod the ALB would drop. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DrillApi } from './stack/api.ts';

export class ReadinessWatch {
  readonly notReady: Array<{ at: number; status: number; body: string }> = [];
  probes = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly api: DrillApi,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const answer = await this.api.readiness();
        this.probes++;
        if (answer.status !== 200) this.notReady.push({ at: Date.now(), ...answer });
        await sleep(this.intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}
