/**
 * release-with-migration: what Argo CD and Argo Rollouts do with a release that brings a migration, on one machine.
 * The previous release (built from the git history) serves 100 %; the PreSync step migrates the database with the
 * new release's code; the new release starts as a canary at 10 %, then 50 %; then the canary is aborted and the
 * previous release serves everything again — on the new schema.
 *
 * Pass: the previous release stays ready the whole time (readiness on schema compatibility), both versions pass the
 * contract's smoke subset on the migrated schema, no request fails, and every acknowledged write exists exactly once.
 */
import { join } from 'node:path';
import type { Drill, DrillOutcome } from '../drill.ts';
import { checkWrites } from '../ledger.ts';
import { createProject, describeFailures, SteadyLoad } from '../load.ts';
import { extractPreviousRelease } from '../previous-release.ts';
import { ReadinessWatch } from '../readiness-watch.ts';
import { smoke } from '../smoke.ts';
import { DrillApi, migrate } from '../stack/api.ts';
import { CanaryEdge } from '../stack/edge.ts';
import { DrillIdentity } from '../stack/identity.ts';
import { DrillPostgres } from '../stack/postgres.ts';

const STEP_MS = 1_500;

async function revision(pg: DrillPostgres): Promise<string> {
  return pg.withClient(
    async (client) => (await client.query('SELECT version_num FROM alembic_version')).rows[0].version_num,
  );
}

export const releaseWithMigration: Drill = {
  name: 'release-with-migration',
  title: 'previous release and this one on one database, the migration applied in between, then the canary aborted',
  async run(context): Promise<DrillOutcome> {
    const previous = extractPreviousRelease(context.repoRoot, join(context.workDir, 'previous'));
    context.log(`previous release: ${previous.commit} (the commit before ${previous.newestMigration} was added)`);
    const pg = new DrillPostgres({ repoRoot: context.repoRoot, dataDir: join(context.workDir, 'postgres') });
    const stable = new DrillApi({ label: `stable ${previous.commit}`, apiDir: previous.apiDir, databaseUrl: '' });
    const identity = new DrillIdentity(context.repoRoot, context.workDir);
    const canary = new DrillApi({
      label: 'canary (this tree)',
      apiDir: join(context.repoRoot, 'api'),
      databaseUrl: '',
    });
    let edge: CanaryEdge | undefined;
    let load: SteadyLoad | undefined;
    let watch: ReadinessWatch | undefined;
    try {
      await pg.start();
      await identity.start();
      // The previous release knows no users: what it writes has no owner. The canary lets the one user its
      // AUTH_LEGACY_OWNER names keep working on those rows (ADR 0127); here the load's user, as an operator would
      // name the account that owned the data before sign-in existed.
      canary.options.env = { ...identity.apiEnv(), AUTH_LEGACY_OWNER: identity.developer.sub };
      await migrate(previous.apiDir, pg.url);
      const before = await revision(pg);
      stable.options.databaseUrl = pg.url;
      canary.options.databaseUrl = pg.url;
      await stable.start();
      edge = new CanaryEdge(context.repoRoot, stable.origin, identity.issuer);
      await edge.start();
      const projectId = await createProject(edge.url, 'release-with-migration', identity.session);
      load = new SteadyLoad({ baseUrl: edge.url, projectId, auth: identity.session });
      watch = new ReadinessWatch(stable);
      load.start();
      watch.start();
      context.log(`previous release serving 100 % on schema ${before}`);
      await load.runFor(STEP_MS);

      await migrate(join(context.repoRoot, 'api'), pg.url); // the PreSync Job
      const after = await revision(pg);
      context.log(`PreSync: migrated ${before} → ${after}`);
      await canary.start();
      edge.canary = canary.origin;
      edge.canaryPercent = 10;
      context.log('canary at 10 %');
      await load.runFor(STEP_MS);
      const smokeStable = await smoke(stable.origin, identity.session.header());
      const smokeCanary = await smoke(canary.origin, identity.session.header());
      edge.canaryPercent = 50;
      context.log('canary at 50 %');
      await load.runFor(STEP_MS);

      edge.canaryPercent = 0; // abort: the ALB sends everything to stable at once
      await canary.stop();
      context.log('canary aborted: previous release serving 100 % on the new schema');
      await load.runFor(STEP_MS);
      const smokeAfterAbort = await smoke(stable.origin, identity.session.header());
      await load.stop();
      await watch.stop();

      const ledger = await checkWrites(pg.url, projectId, load.acknowledged.keys());
      const failures: string[] = [];
      if (after === before) failures.push(`no migration between the previous release and this one (both at ${before})`);
      if (watch.notReady.length > 0) {
        const first = watch.notReady[0];
        failures.push(
          `the previous release was not ready ${watch.notReady.length} of ${watch.probes} probes (first: ${first?.status} ${first?.body.slice(0, 160)})`,
        );
      }
      for (const [who, result] of [
        ['previous release on the new schema', smokeStable],
        ['canary', smokeCanary],
        ['previous release after the abort', smokeAfterAbort],
      ] as const) {
        for (const failure of result.failures) failures.push(`smoke, ${who}: ${failure}`);
      }
      if (load.failures.length > 0) failures.push(`failed requests: ${describeFailures(load.failures).join('; ')}`);
      if (ledger.lost.length > 0) failures.push(`${ledger.lost.length} acknowledged writes lost`);
      if (ledger.doubled.length > 0) failures.push(`${ledger.doubled.length} writes doubled`);

      return {
        name: 'release-with-migration',
        summary:
          `Previous release ${previous.commit} (schema ${before}) and this tree (schema ${after}) served one database ` +
          'through a 10 % → 50 % canary; the canary was aborted and the previous release kept serving the new schema.',
        requests: { sent: load.sent, failed: load.failures.length },
        writes: { acknowledged: load.acknowledged.size, lost: ledger.lost.length, doubled: ledger.doubled.length },
        dataLost: ledger.lost.length === 0 ? 'none' : `${ledger.lost.length} acknowledged writes`,
        figures: {
          'previous release': `${previous.commit}, migrations up to ${before}`,
          'schema after PreSync': after,
          'readiness probes of the previous release (not ready)': `${watch.probes} (${watch.notReady.length})`,
          'smoke operations per version': smokeCanary.operations,
        },
        failures,
      };
    } finally {
      await load?.stop();
      await watch?.stop();
      await edge?.stop();
      await canary.stop();
      await stable.stop();
      await identity.stop();
      await pg.stop();
    }
  },
};
