/**
 * The system most drills start from: PostgreSQL with its data under the drill's folder, the local OpenID provider
 * with the development user signed in, the schema migrated, one API version behind the canary-splitting edge, and a
 * project of that user's for the steady load to write into.
 */
import { join } from 'node:path';
import type { DrillContext } from '../drill.ts';
import { createProject } from '../load.ts';
import { DrillApi, migrate } from './api.ts';
import { CanaryEdge } from './edge.ts';
import { DrillIdentity } from './identity.ts';
import { DrillPostgres } from './postgres.ts';

export interface SystemOptions {
  /** The `api/` folder whose code migrates and serves (default: this checkout's). */
  apiDir?: string;
  postgresSettings?: Readonly<Record<string, string>>;
  /** More environment for `innovate-api migrate` (e.g. DB_APP_SECRET_FILE). */
  migrateEnv?: NodeJS.ProcessEnv;
  apiEnv?: NodeJS.ProcessEnv;
  /** The DATABASE_URL the API gets, from the superuser URL (default: that URL). */
  apiDatabaseUrl?: (superuserUrl: string) => string;
  /** Origins of extra edges a browser signs in through (registered at the provider). */
  spaOrigins?: readonly string[];
}

export interface System {
  pg: DrillPostgres;
  api: DrillApi;
  edge: CanaryEdge;
  identity: DrillIdentity;
  projectId: string;
  /** Stops what was started, newest first; never throws. */
  stop(): Promise<void>;
}

export async function startSystem(context: DrillContext, options: SystemOptions = {}): Promise<System> {
  const apiDir = options.apiDir ?? join(context.repoRoot, 'api');
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const pg = new DrillPostgres({
      repoRoot: context.repoRoot,
      dataDir: join(context.workDir, 'postgres'),
      settings: options.postgresSettings,
    });
    stops.push(() => pg.stop());
    await pg.start();
    context.log('PostgreSQL started');
    const identity = new DrillIdentity(context.repoRoot, context.workDir, options.spaOrigins);
    stops.push(() => identity.stop());
    await identity.start();
    context.log(`OpenID provider ready at ${identity.issuer}; ${identity.developer.email} signed in`);
    await migrate(apiDir, pg.url, options.migrateEnv);
    context.log('migrated');
    const databaseUrl = options.apiDatabaseUrl?.(pg.url) ?? pg.url;
    const api = new DrillApi({ label: 'api', apiDir, databaseUrl, env: { ...identity.apiEnv(), ...options.apiEnv } });
    stops.push(() => api.stop());
    await api.start();
    context.log('API ready');
    const edge = new CanaryEdge(context.repoRoot, api.origin, identity.issuer);
    stops.push(() => edge.stop());
    await edge.start();
    const projectId = await createProject(edge.url, `gameday ${context.workDir.split('/').pop()}`, identity.session);
    return { pg, api, edge, identity, projectId, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
