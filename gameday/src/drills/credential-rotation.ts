/**
 * credential-rotation: the application user's password is rotated twice under load, the way Secrets Manager's
 * alternating-users rotation does it (the rotation the CDK app configures for the application secret):
 * createSecret → setSecret (create `<user>_clone` as a member of `<user>`, or set a new password on the user the secret
 * does not name now) → testSecret (log in with it) → finishSecret (the secret names it: here the mounted file is
 * replaced atomically, as the kubelet swaps a Secret volume). The previous credentials stay valid until the next
 * rotation, so a pod whose file is a little late keeps working.
 *
 * The API reads DB_SECRET_FILE at every new connection; its pool recycles connections every 2 s here (30 min in a pod)
 * so the drill can see each rotation followed within seconds.
 *
 * Pass: no request fails, no acknowledged write is lost or doubled, and after each rotation the API's connections
 * all log in as the user the secret names.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Drill, DrillOutcome } from '../drill.ts';
import { checkWrites } from '../ledger.ts';
import { describeFailures, SteadyLoad } from '../load.ts';
import type { DrillPostgres } from '../stack/postgres.ts';
import { startSystem } from '../stack/system.ts';

const APP_USER = 'innovate_app';
const CLONE_USER = `${APP_USER}_clone`;
const ROTATIONS = 2;
const FOLLOW_LIMIT_MS = 8_000;

interface Secret {
  username: string;
  password: string;
}

/** finishSecret: the new value replaces the file in one rename, so a reader never sees half of it. */
function publish(path: string, secret: Secret): void {
  writeFileSync(`${path}.next`, JSON.stringify({ engine: 'postgres', ...secret }), { mode: 0o600 });
  renameSync(`${path}.next`, path);
}

async function rotate(db: DrillPostgres, current: Secret): Promise<Secret> {
  const pending: Secret = {
    username: current.username === APP_USER ? CLONE_USER : APP_USER,
    password: randomBytes(18).toString('base64url'),
  };
  await db.withClient(async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [pending.username]);
    const password = client.escapeLiteral(pending.password);
    if (exists.rowCount === 0) {
      await client.query(`CREATE ROLE ${pending.username} WITH LOGIN PASSWORD ${password}`);
      await client.query(`GRANT ${APP_USER} TO ${pending.username}`);
    } else {
      await client.query(`ALTER ROLE ${pending.username} WITH PASSWORD ${password}`);
    }
  });
  const test = new pg.Client({ connectionString: db.url, user: pending.username, password: pending.password });
  await test.connect();
  await test.end();
  return pending;
}

/** The login users of the API's open connections. */
async function apiLogins(db: DrillPostgres): Promise<Map<string, number>> {
  return db.withClient(async (client) => {
    const rows = await client.query<{ usename: string; n: string }>(
      "SELECT usename, count(*) AS n FROM pg_stat_activity WHERE application_name = 'innovate-api' GROUP BY 1",
    );
    return new Map(rows.rows.map((row) => [row.usename, Number(row.n)]));
  });
}

/** Waits until every API connection logs in as `username`; resolves with the time it took, or undefined. */
async function followed(db: DrillPostgres, username: string, since: number): Promise<number | undefined> {
  while (Date.now() - since < FOLLOW_LIMIT_MS) {
    const logins = await apiLogins(db);
    if (logins.size === 1 && logins.has(username)) return Date.now() - since;
    await sleep(100);
  }
  return undefined;
}

export const credentialRotation: Drill = {
  name: 'credential-rotation',
  title: "the application user's password rotated twice (alternating users) under load",
  async run(context): Promise<DrillOutcome> {
    const secretFile = join(context.workDir, 'database-app.json');
    let secret: Secret = { username: APP_USER, password: randomBytes(18).toString('base64url') };
    publish(secretFile, secret);
    const system = await startSystem(context, {
      // migrate runs as the master user and creates the application role from its secret
      migrateEnv: { DB_APP_SECRET_FILE: secretFile },
      // One gunicorn worker: a pool recycles a connection only when it is checked out, and the load's keep-alive
      // connections can all land on one of two workers, leaving the other's idle connections on the old login for
      // as long as the run lasts (harmless: the previous credentials stay valid until the next rotation). With one
      // worker every pooled connection serves the load, so "all connections follow" measures the rotation itself.
      apiEnv: { DB_SECRET_FILE: secretFile, DB_POOL_RECYCLE_SECONDS: '2', API_WORKERS: '1' },
      apiDatabaseUrl: (superuser) => {
        const url = new URL(superuser);
        url.username = '';
        url.password = '';
        return url.href;
      },
    });
    const load = new SteadyLoad({
      baseUrl: system.edge.url,
      projectId: system.projectId,
      auth: system.identity.session,
    });
    try {
      const before = await apiLogins(system.pg);
      load.start();
      await load.runFor(1_500);
      const followTimes: number[] = [];
      const failures: string[] = [];
      for (let round = 1; round <= ROTATIONS; round++) {
        secret = await rotate(system.pg, secret);
        const publishedAt = Date.now();
        publish(secretFile, secret);
        const took = await followed(system.pg, secret.username, publishedAt);
        context.log(`rotation ${round}: the secret names ${secret.username}; API followed in ${took ?? '>8000'} ms`);
        if (took === undefined) {
          const logins = Object.fromEntries(await apiLogins(system.pg));
          failures.push(`rotation ${round}: API connections still log in as ${JSON.stringify(logins)}`);
        } else followTimes.push(took);
        await load.runFor(1_000);
      }
      await load.stop();

      const ledger = await checkWrites(system.pg.url, system.projectId, load.acknowledged.keys());
      if (![...before.keys()].every((user) => user === APP_USER))
        failures.push(`before rotating, the API logged in as ${[...before.keys()].join(', ')}, not ${APP_USER}`);
      if (load.failures.length > 0) failures.push(`failed requests: ${describeFailures(load.failures).join('; ')}`);
      if (ledger.lost.length > 0) failures.push(`${ledger.lost.length} acknowledged writes lost`);
      if (ledger.doubled.length > 0) failures.push(`${ledger.doubled.length} writes doubled`);

      return {
        name: 'credential-rotation',
        summary:
          `The API logged in as ${APP_USER} from a mounted secret file; the password was rotated ${ROTATIONS} times by ` +
          `alternating users (${APP_USER} ↔ ${CLONE_USER}) while clients read and wrote.`,
        requests: { sent: load.sent, failed: load.failures.length },
        writes: { acknowledged: load.acknowledged.size, lost: ledger.lost.length, doubled: ledger.doubled.length },
        dataLost: ledger.lost.length === 0 ? 'none' : `${ledger.lost.length} acknowledged writes`,
        figures: {
          rotations: ROTATIONS,
          'time until every API connection used the new credentials (ms)': followTimes.join(', ') || 'never',
          'pool recycle (s)': 2,
        },
        failures,
      };
    } finally {
      await load.stop();
      await system.stop();
    }
  },
};
