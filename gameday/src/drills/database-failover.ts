/**
 * database-failover: PostgreSQL dies (SIGKILL to the server and every backend, as when its host fails) and comes back
 * on the same endpoint after crash recovery, while writes go on — what a Multi-AZ failover looks like to the API.
 *
 * Pass: every acknowledged write exists exactly once; failures only between the kill and the first success after
 * the database is back, and only 503s (the API's "database unavailable" with Retry-After); the API serves again
 * within 5 s of the database being back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Drill, DrillOutcome } from '../drill.ts';
import { checkWrites } from '../ledger.ts';
import { describeFailures, SteadyLoad } from '../load.ts';
import { startSystem } from '../stack/system.ts';

const OUTAGE_MS = 1_500;
const RECOVERY_GOAL_SECONDS = 5;

export const databaseFailover: Drill = {
  name: 'database-failover',
  title: 'PostgreSQL SIGKILLed and restarted under idempotent writes',
  async run(context): Promise<DrillOutcome> {
    const system = await startSystem(context, {
      // Short connect and pool timeouts: during the outage a request fails fast with 503 instead of hanging.
      apiEnv: { DB_CONNECT_TIMEOUT_SECONDS: '2', DB_POOL_TIMEOUT_SECONDS: '2' },
    });
    const load = new SteadyLoad({
      baseUrl: system.edge.url,
      projectId: system.projectId,
      auth: system.identity.session,
    });
    try {
      load.start();
      await load.runFor(2_000);
      const killedAt = Date.now();
      await system.pg.kill();
      context.log('PostgreSQL killed (SIGKILL to the server and its backends)');
      await sleep(OUTAGE_MS);
      const restartAt = Date.now();
      await system.pg.start();
      const backAt = Date.now();
      context.log(`PostgreSQL back after crash recovery (${backAt - restartAt} ms to accept connections)`);
      const firstSuccess = await load.firstSuccessAfter(backAt, 30_000);
      await load.runFor(2_000);
      await load.stop();

      const ledger = await checkWrites(system.pg.url, system.projectId, load.acknowledged.keys());
      const recoverySeconds = firstSuccess === undefined ? undefined : (firstSuccess - backAt) / 1000;
      const windowEnd = firstSuccess ?? Number.POSITIVE_INFINITY;
      const inWindow = load.failures.filter((f) => f.at >= killedAt && f.at <= windowEnd);
      const outside = load.failures.filter((f) => f.at < killedAt || f.at > windowEnd);
      const notUnavailable = inWindow.filter((f) => f.status !== 503);

      const failures: string[] = [];
      if (ledger.lost.length > 0) failures.push(`${ledger.lost.length} acknowledged writes lost`);
      if (ledger.doubled.length > 0) failures.push(`${ledger.doubled.length} writes doubled`);
      if (recoverySeconds === undefined) failures.push('the API did not serve again within 30 s of the database');
      else if (recoverySeconds > RECOVERY_GOAL_SECONDS)
        failures.push(
          `served again ${recoverySeconds.toFixed(2)} s after the database was back (goal ≤ ${RECOVERY_GOAL_SECONDS} s)`,
        );
      if (outside.length > 0) failures.push(`failures outside the outage: ${describeFailures(outside).join('; ')}`);
      if (notUnavailable.length > 0)
        failures.push(`failures other than 503 during the outage: ${describeFailures(notUnavailable).join('; ')}`);

      return {
        name: 'database-failover',
        summary:
          `PostgreSQL was SIGKILLed under ${load.acknowledged.size} acknowledged idempotent writes, restarted ` +
          `${((restartAt - killedAt) / 1000).toFixed(1)} s later on the same endpoint, and accepted connections again ` +
          `after crash recovery, ${((backAt - killedAt) / 1000).toFixed(1)} s after the kill.`,
        requests: {
          sent: load.sent,
          failed: load.failedCount(),
          expectedFailures: {
            count: inWindow.length,
            why: 'while the database is down the API answers 503 with Retry-After; clients retry with the same Idempotency-Key',
          },
        },
        writes: { acknowledged: load.acknowledged.size, lost: ledger.lost.length, doubled: ledger.doubled.length },
        recoverySeconds,
        dataLost: ledger.lost.length === 0 ? 'none' : `${ledger.lost.length} acknowledged writes`,
        figures: {
          'database unavailable, kill → accepting connections (s)': ((backAt - killedAt) / 1000).toFixed(2),
          'crash recovery until accepting connections (ms)': backAt - restartAt,
          'writes committed but never acknowledged to the client': ledger.presentButUnacknowledged,
          'failures by kind': describeFailures(load.failures).join('; ') || 'none',
        },
        failures,
      };
    } finally {
      await load.stop();
      await system.stop();
    }
  },
};
