/**
 * rollback: a canary at 50 % is aborted under load. Traffic returns to stable at once (the ALB weights) and the
 * canary's processes are stopped right away — sooner than Argo Rollouts would (it waits abortScaleDownDelaySeconds),
 * so requests still in flight on the canary must finish during its graceful shutdown.
 *
 * Pass: no request fails, every acknowledged write exists exactly once, stable stays ready throughout.
 */
import { join } from 'node:path';
import type { Drill, DrillOutcome } from '../drill.ts';
import { checkWrites } from '../ledger.ts';
import { describeFailures, SteadyLoad } from '../load.ts';
import { ReadinessWatch } from '../readiness-watch.ts';
import { DrillApi } from '../stack/api.ts';
import { startSystem } from '../stack/system.ts';

export const rollback: Drill = {
  name: 'rollback',
  title: 'a canary at 50 % aborted under load; stable keeps serving',
  async run(context): Promise<DrillOutcome> {
    const system = await startSystem(context);
    const canary = new DrillApi({
      label: 'canary',
      apiDir: join(context.repoRoot, 'api'),
      databaseUrl: system.pg.url,
      env: system.identity.apiEnv(),
    });
    const load = new SteadyLoad({
      baseUrl: system.edge.url,
      projectId: system.projectId,
      auth: system.identity.session,
      workers: 6,
    });
    const watch = new ReadinessWatch(system.api);
    try {
      await canary.start();
      system.edge.canary = canary.origin;
      system.edge.canaryPercent = 50;
      load.start();
      watch.start();
      await load.runFor(2_000);
      const sentBeforeAbort = load.sent;
      const abortAt = Date.now();
      system.edge.canaryPercent = 0;
      const canaryExit = await canary.stop();
      const canaryGoneMs = Date.now() - abortAt;
      context.log(`canary aborted; its processes exited ${canaryExit} after ${canaryGoneMs} ms`);
      await load.runFor(2_000);
      await load.stop();
      await watch.stop();

      const ledger = await checkWrites(system.pg.url, system.projectId, load.acknowledged.keys());
      const failures: string[] = [];
      if (load.failures.length > 0) failures.push(`failed requests: ${describeFailures(load.failures).join('; ')}`);
      if (ledger.lost.length > 0) failures.push(`${ledger.lost.length} acknowledged writes lost`);
      if (ledger.doubled.length > 0) failures.push(`${ledger.doubled.length} writes doubled`);
      if (watch.notReady.length > 0)
        failures.push(`stable was not ready ${watch.notReady.length} of ${watch.probes} probes`);
      if (canaryExit !== 0) failures.push(`the canary did not shut down cleanly (exit ${canaryExit})`);

      return {
        name: 'rollback',
        summary:
          'A canary took 50 % of the traffic; it was aborted (all traffic back to stable) and its processes stopped ' +
          'at once, while 6 clients kept reading and writing.',
        requests: { sent: load.sent, failed: load.failures.length },
        writes: { acknowledged: load.acknowledged.size, lost: ledger.lost.length, doubled: ledger.doubled.length },
        dataLost: ledger.lost.length === 0 ? 'none' : `${ledger.lost.length} acknowledged writes`,
        figures: {
          'requests while the canary had 50 %': sentBeforeAbort,
          'canary shutdown after the abort (ms)': canaryGoneMs,
          'stable readiness probes (not ready)': `${watch.probes} (${watch.notReady.length})`,
        },
        failures,
      };
    } finally {
      await load.stop();
      await watch.stop();
      await canary.stop();
      await system.stop();
    }
  },
};
