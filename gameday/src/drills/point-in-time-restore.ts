/**
 * point-in-time-restore: WAL archiving and a base backup on the local PostgreSQL; writes go on; an operator picks a
 * target time (say, just before a bad change); the database is lost; a new cluster is restored from the base backup
 * and the archive to that time, and a fresh API serves from it. A second restore replays the whole archive, to
 * measure how much a restore to "as late as possible" loses (the RPO of WAL archiving).
 *
 * Pass: every write acknowledged before the target time is in the restored database, nothing written later than
 * one second after it is, and the API serves writes from the restored database. RTO and RPO are reported.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Drill, DrillOutcome } from '../drill.ts';
import { checkWrites } from '../ledger.ts';
import { createProject, describeFailures, SteadyLoad } from '../load.ts';
import { DrillApi } from '../stack/api.ts';
import { archivingSettings, baseBackup, prepareRestore } from '../stack/backup.ts';
import { DrillIdentity } from '../stack/identity.ts';
import { DrillPostgres } from '../stack/postgres.ts';
import { startSystem } from '../stack/system.ts';

/** archive_timeout: the longest a committed write waits before its WAL segment is archived (RDS: about 5 min). */
const ARCHIVE_TIMEOUT_SECONDS = 1;

async function titles(pg: DrillPostgres, projectId: string): Promise<Set<string>> {
  return pg.withClient(async (client) => {
    const rows = await client.query<{ title: string }>('SELECT title FROM tasks WHERE project_id = $1', [projectId]);
    return new Set(rows.rows.map((row) => row.title));
  });
}

export const pointInTimeRestore: Drill = {
  name: 'point-in-time-restore',
  title: 'restore to a timestamp from a base backup and archived WAL; RPO and RTO measured',
  async run(context): Promise<DrillOutcome> {
    const archiveDir = join(context.workDir, 'wal-archive');
    const backupDir = join(context.workDir, 'base-backup');
    const system = await startSystem(context, {
      postgresSettings: archivingSettings(archiveDir, ARCHIVE_TIMEOUT_SECONDS),
    });
    const load = new SteadyLoad({
      baseUrl: system.edge.url,
      projectId: system.projectId,
      auth: system.identity.session,
    });
    const restored = new DrillPostgres({ repoRoot: context.repoRoot, dataDir: join(context.workDir, 'restored') });
    const latest = new DrillPostgres({ repoRoot: context.repoRoot, dataDir: join(context.workDir, 'restored-latest') });
    let restoredApi: DrillApi | undefined;
    let restoredIdentity: DrillIdentity | undefined;
    try {
      load.start();
      await load.runFor(1_000);
      await baseBackup(system.pg, backupDir);
      context.log('base backup taken while writes go on');
      await load.runFor(1_500);
      const { targetTime, targetAt } = await system.pg.withClient(async (client) => ({
        targetTime: (await client.query<{ now: string }>('SELECT clock_timestamp()::text AS now')).rows[0]?.now ?? '',
        targetAt: Date.now(),
      }));
      context.log(`target time ${targetTime}`);
      await load.runFor(2_000);
      await load.stop();
      const lostAt = Date.now();
      await system.pg.kill(); // the database is gone; only the base backup and the archive remain
      await system.stop();
      context.log('database lost (SIGKILL); restoring to the target time into a new data folder');

      const restoreStarted = Date.now();
      prepareRestore(backupDir, archiveDir, restored.options.dataDir, targetTime);
      await restored.start();
      // The provider went down with the system; a new one over the same users file signs the same user in.
      restoredIdentity = new DrillIdentity(context.repoRoot, context.workDir);
      await restoredIdentity.start();
      restoredApi = new DrillApi({
        label: 'api on the restored database',
        apiDir: join(context.repoRoot, 'api'),
        databaseUrl: restored.url,
        env: restoredIdentity.apiEnv(),
      });
      await restoredApi.start();
      const probeProject = await createProject(
        restoredApi.origin.href.replace(/\/$/, ''),
        'written after the restore',
        restoredIdentity.session,
      );
      const rtoSeconds = (Date.now() - restoreStarted) / 1000;
      context.log(`restored and serving writes after ${rtoSeconds.toFixed(1)} s`);

      const present = await titles(restored, system.projectId);
      const ackedBefore = [...load.acknowledged].filter(([, at]) => at < targetAt).map(([key]) => key);
      const missingBefore = ackedBefore.filter((key) => !present.has(key));
      const tooLate = [...load.acknowledged].filter(([key, at]) => at > targetAt + 1_000 && present.has(key));
      const ledger = await checkWrites(restored.url, system.projectId, ackedBefore);

      prepareRestore(backupDir, archiveDir, latest.options.dataDir);
      await latest.start();
      const presentLatest = await titles(latest, system.projectId);
      const missingLatest = [...load.acknowledged].filter(([key]) => !presentLatest.has(key));
      const oldestMissing = Math.min(...missingLatest.map(([, at]) => at));
      const rpoSeconds = missingLatest.length === 0 ? 0 : (lostAt - oldestMissing) / 1000;

      const failures: string[] = [];
      if (missingBefore.length > 0)
        failures.push(
          `${missingBefore.length} writes acknowledged before the target time are missing after the restore`,
        );
      if (tooLate.length > 0) failures.push(`${tooLate.length} writes from after the target time came back`);
      if (ledger.doubled.length > 0) failures.push(`${ledger.doubled.length} writes doubled`);
      if (!probeProject) failures.push('the API could not write to the restored database');
      if (load.failures.length > 0) failures.push(`failed requests: ${describeFailures(load.failures).join('; ')}`);
      if (rpoSeconds > ARCHIVE_TIMEOUT_SECONDS + 1)
        failures.push(
          `restoring everything archived lost ${rpoSeconds.toFixed(2)} s of writes (archive_timeout ${ARCHIVE_TIMEOUT_SECONDS} s)`,
        );

      return {
        name: 'point-in-time-restore',
        summary:
          `A base backup and ${ARCHIVE_TIMEOUT_SECONDS} s WAL archiving; the database was lost; a new cluster was restored ` +
          'to a target time and the API served from it. A second restore replayed the whole archive to measure the RPO.',
        requests: { sent: load.sent, failed: load.failures.length },
        writes: { acknowledged: ackedBefore.length, lost: missingBefore.length, doubled: ledger.doubled.length },
        recoverySeconds: rtoSeconds,
        dataLost:
          `by choice: the ${load.acknowledged.size - ackedBefore.length} writes after the target time; ` +
          `restore to the newest point: ${missingLatest.length} of ${load.acknowledged.size}`,
        figures: {
          'RTO: restore started → API serving writes on the restored database (s)': rtoSeconds.toFixed(2),
          'RPO: restore of everything archived, writes lost (s of writes)': rpoSeconds.toFixed(2),
          'writes acknowledged before the target time (all present)': ackedBefore.length,
          'writes present from the second after the target time': tooLate.length,
          'archived WAL segments': archivedSegments(archiveDir),
        },
        failures,
      };
    } finally {
      await load.stop();
      await restoredApi?.stop();
      await restoredIdentity?.stop();
      await latest.stop();
      await restored.stop();
      await system.stop();
    }
  },
};

function archivedSegments(archiveDir: string): number {
  return readdirSync(archiveDir).filter((name) => /^[0-9A-F]{24}$/.test(name)).length;
}
