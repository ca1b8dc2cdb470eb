/**
 * supervisor-killed: `make up` is killed outright (SIGKILL, as by `kill -9` or the OOM killer) while steady load runs
 * through its edge; then `make up` runs again on the same data folder and port, as a developer would.
 *
 * The edge runs inside the supervisor and dies with it; the children (the PostgreSQL runner, the API) run detached
 * and outlive it. The load keeps running across the outage, so a write cut off by the kill is retried with its
 * Idempotency-Key against the new system: failures while no edge or no API answers are expected, and counted.
 *
 * Pass: the new `make up` is ready within 60 s and has stopped everything the killed one left (no child of the first
 * run still running, none of its ports listening); every acknowledged write exists exactly once; failures only
 * between the kill and the first success after the restart, and only transient ones (no answer, 502, 503, 504); after
 * SIGTERM it exits 0 and nothing listens on any port either run used.
 */
import { join } from 'node:path';
import { DEVELOPER_EMAIL, loadOrCreateUsers } from '@innovate/local/src/oidc/users.ts';
import type { RecordedChild } from '@innovate/local/src/supervisor/child-registry.ts';
import { stillRunning } from '@innovate/local/src/supervisor/child-registry.ts';
import { stopLeftovers } from '@innovate/local/src/supervisor/leftovers.ts';
import { freePort } from '@innovate/local/src/supervisor/ports.ts';
import type { Drill, DrillOutcome } from '../drill.ts';
import { checkWrites } from '../ledger.ts';
import { createProject, describeFailures, SteadyLoad } from '../load.ts';
import { Session } from '../stack/identity.ts';
import { listens, MakeUp } from '../stack/make-up.ts';

/** A cold start (initdb, uv sync, migrate) on a busy 2-core machine stays well within this. */
const READY_TIMEOUT_MS = 120_000;
/** The new `make up`, from its start to its URL: stopping what was left must not make a restart slow. */
const RECOVERY_GOAL_SECONDS = 60;
// 401: the new make up runs a new OpenID provider (new issuer port, new keys), so the token from before the kill is
// refused until the load signs in again, as a user would.
const TRANSIENT = new Set([0, 401, 502, 503, 504]);

export const supervisorKilled: Drill = {
  name: 'supervisor-killed',
  title: 'make up SIGKILLed under load, then started again on the same data folder',
  async run({ repoRoot, workDir, log }): Promise<DrillOutcome> {
    const dataDir = join(workDir, 'local');
    const port = await freePort();
    const first = new MakeUp({ repoRoot, dataDir, port });
    const second = new MakeUp({ repoRoot, dataDir, port });
    let load: SteadyLoad | undefined;
    try {
      await first.start(READY_TIMEOUT_MS);
      const firstPorts = { 'first API': first.apiPort, 'first PostgreSQL': first.postgresPort };
      log(
        `make up ready at ${first.url} (API :${firstPorts['first API']}, PostgreSQL :${firstPorts['first PostgreSQL']})`,
      );
      // The development user make up created, signed in at whichever provider the running make up serves.
      const developer = loadOrCreateUsers(join(dataDir, 'oidc', 'users.json')).find((u) => u.email === DEVELOPER_EMAIL);
      if (!developer) throw new Error('make up wrote no development user');
      const session = new Session(() => issuerOf(first.url), developer, first.url);
      await session.renew();
      const projectId = await createProject(first.url, 'supervisor-killed', session);
      load = new SteadyLoad({ baseUrl: first.url, projectId, auth: session });
      load.start();
      await load.runFor(2_000);

      const recorded = first.recordedChildren();
      const killedAt = Date.now();
      await first.kill();
      const survivors = recorded.filter(stillRunning);
      const listeningAfterKill = await listening({ edge: port, ...firstPorts });
      log(
        `supervisor SIGKILLed; still running: ${named(survivors)}; still listening: ${listeningAfterKill.join(', ') || 'nothing'}`,
      );

      const restartAt = Date.now();
      await second.start(READY_TIMEOUT_MS);
      const readyAt = Date.now();
      const leftRunning = survivors.filter(stillRunning);
      const leftListening = await listening(firstPorts);
      const stoppedLines = second
        .upLines()
        .filter((line) => line.includes('from an earlier run') || line.includes('left by an earlier run'));
      log(
        `make up ready again after ${((readyAt - restartAt) / 1000).toFixed(1)} s: ${stoppedLines.join('; ') || 'stopped nothing'}`,
      );
      const firstSuccess = await load.firstSuccessAfter(restartAt, 30_000);
      await load.runFor(2_000);
      await load.stop();

      const ledger = await checkWrites(second.databaseUrl, projectId, load.acknowledged.keys());
      const secondPorts = { 'second API': second.apiPort, 'second PostgreSQL': second.postgresPort };
      const exitCode = await second.stop();
      const listeningAtEnd = await listening({ edge: port, ...firstPorts, ...secondPorts });

      const windowEnd = firstSuccess ?? Number.POSITIVE_INFINITY;
      const inWindow = load.failures.filter((f) => f.at >= killedAt && f.at <= windowEnd);
      const outside = load.failures.filter((f) => f.at < killedAt || f.at > windowEnd);
      const notTransient = inWindow.filter((f) => !TRANSIENT.has(f.status));
      const recoverySeconds = (readyAt - restartAt) / 1000;

      const failures: string[] = [];
      if (recoverySeconds > RECOVERY_GOAL_SECONDS)
        failures.push(
          `the new make up was ready after ${recoverySeconds.toFixed(1)} s (goal ≤ ${RECOVERY_GOAL_SECONDS} s)`,
        );
      if (leftRunning.length > 0)
        failures.push(`children of the killed make up still running after the restart: ${named(leftRunning)}`);
      if (leftListening.length > 0)
        failures.push(`ports of the killed make up still listening after the restart: ${leftListening.join(', ')}`);
      if (ledger.lost.length > 0) failures.push(`${ledger.lost.length} acknowledged writes lost`);
      if (ledger.doubled.length > 0) failures.push(`${ledger.doubled.length} writes doubled`);
      if (firstSuccess === undefined) failures.push('the load saw no success within 30 s of the restart');
      if (outside.length > 0) failures.push(`failures outside the outage: ${describeFailures(outside).join('; ')}`);
      if (notTransient.length > 0)
        failures.push(`non-transient failures during the outage: ${describeFailures(notTransient).join('; ')}`);
      if (exitCode !== 0) failures.push(`the new make up exited with code ${exitCode} on SIGTERM`);
      if (listeningAtEnd.length > 0)
        failures.push(`still listening after the final SIGTERM: ${listeningAtEnd.join(', ')}`);

      return {
        name: 'supervisor-killed',
        summary:
          `make up was SIGKILLed under ${load.acknowledged.size} acknowledged idempotent writes; ` +
          `${named(survivors)} outlived it; make up on the same data folder and port stopped them and served again.`,
        requests: {
          sent: load.sent,
          failed: load.failedCount(),
          expectedFailures: {
            count: inWindow.length,
            why:
              'the edge runs inside the supervisor and dies with it: until the new make up serves, attempts find no ' +
              'edge or an edge whose API is still starting; writes are retried with the same Idempotency-Key',
          },
        },
        writes: { acknowledged: load.acknowledged.size, lost: ledger.lost.length, doubled: ledger.doubled.length },
        recoverySeconds,
        dataLost: ledger.lost.length === 0 ? 'none' : `${ledger.lost.length} acknowledged writes`,
        figures: {
          'children still running after the SIGKILL': named(survivors),
          'still listening after the SIGKILL': listeningAfterKill.join(', ') || 'nothing',
          'what the new make up stopped': stoppedLines.join('; ') || 'nothing',
          'time to recover: new make up started → ready (s)': recoverySeconds.toFixed(2),
          'outage seen by the load: SIGKILL → first success (s)':
            firstSuccess === undefined ? 'no success' : ((firstSuccess - killedAt) / 1000).toFixed(2),
          'writes committed but never acknowledged to the client': ledger.presentButUnacknowledged,
          'failures by kind': describeFailures(load.failures).join('; ') || 'none',
        },
        failures,
      };
    } finally {
      await load?.stop();
      await second.stop();
      await first.kill();
      // A drill stopped half-way must not leak the processes it caused: the product's own clean-up, once more.
      await stopLeftovers(dataDir, { say: (line) => log(`clean-up: ${line}`) });
    }
  },
};

/** The issuer the SPA of the make up at `url` signs in with (its /config.json). */
async function issuerOf(url: string): Promise<string> {
  const config = (await (await fetch(`${url}/config.json`)).json()) as { auth: { issuer: string } };
  return config.auth.issuer;
}

function named(children: readonly RecordedChild[]): string {
  return children.map((child) => `${child.name} (pid ${child.pid})`).join(', ') || 'nothing';
}

/** `name :port` for each of `ports` that accepts connections. */
async function listening(ports: Record<string, number>): Promise<string[]> {
  const open: string[] = [];
  for (const [name, port] of Object.entries(ports)) if (await listens(port)) open.push(`${name} :${port}`);
  return open;
}
