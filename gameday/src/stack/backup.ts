/**
 * Point-in-time recovery for the local PostgreSQL, the way RDS does it underneath: WAL archiving, a base backup, and
 * a restore of that backup replaying archived WAL up to a target time. The base backup uses PostgreSQL's low-level
 * backup API (pg_backup_start / pg_backup_stop in one session, copy in between), because the embedded server ships
 * no pg_basebackup.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillPostgres } from './postgres.ts';

/** Server settings that archive every WAL segment into `archiveDir`, at the latest `timeoutSeconds` after a write. */
export function archivingSettings(archiveDir: string, timeoutSeconds: number): Record<string, string> {
  mkdirSync(archiveDir, { recursive: true });
  chmodSync(archiveDir, 0o777); // the server may run as the postgres user (when we are root)
  return {
    archive_mode: 'on',
    archive_command: `test ! -f ${archiveDir}/%f && cp %p ${archiveDir}/%f`,
    archive_timeout: String(timeoutSeconds),
  };
}

/** Files of a running cluster that a base backup leaves out (PostgreSQL's own list for pg_basebackup). */
const LEFT_OUT = ['postmaster.pid', 'postmaster.opts'];
const EMPTIED = [
  'pg_wal',
  'pg_replslot',
  'pg_stat_tmp',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_subtrans',
];

/** Copies the running cluster of `pg` into `into` as a consistent base backup. */
export async function baseBackup(pg: DrillPostgres, into: string): Promise<void> {
  await pg.withClient(async (client) => {
    await client.query("SELECT pg_backup_start('gameday', fast => true)");
    execFileSync('cp', ['-a', pg.options.dataDir, into]);
    const stop = await client.query<{ labelfile: string }>(
      'SELECT labelfile FROM pg_backup_stop(wait_for_archive => true)',
    );
    for (const name of LEFT_OUT) rmSync(join(into, name), { force: true });
    for (const dir of EMPTIED) {
      for (const entry of readdirSync(join(into, dir))) {
        if (entry !== 'archive_status') rmSync(join(into, dir, entry), { recursive: true, force: true });
      }
    }
    writeAsOwner(join(into, 'backup_label'), stop.rows[0]?.labelfile ?? '', into);
  });
}

/**
 * A new cluster in `into` from the base backup, set to replay the archive up to `targetTime` (a PostgreSQL
 * timestamptz) and then promote; without a target it replays everything archived (the newest restorable point).
 */
export function prepareRestore(backupDir: string, archiveDir: string, into: string, targetTime?: string): void {
  execFileSync('cp', ['-a', backupDir, into]);
  const settings = [
    `restore_command = 'cp ${archiveDir}/%f %p'`,
    ...(targetTime ? [`recovery_target_time = '${targetTime}'`, "recovery_target_action = 'promote'"] : []),
    // The restored cluster is a new database: it does not archive into the old one's archive.
    "archive_mode = 'off'",
  ];
  appendFileSync(join(into, 'postgresql.auto.conf'), `${settings.join('\n')}\n`);
  writeAsOwner(join(into, 'recovery.signal'), '', into);
}

/** Writes a file owned like the cluster's folder (the server may run as another user than us). */
function writeAsOwner(path: string, content: string, clusterDir: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  const { uid, gid } = statSync(clusterDir);
  if (process.getuid?.() === 0) chownSync(path, uid, gid);
}
