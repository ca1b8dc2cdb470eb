/**
 * Replays Argo CD's sync of one environment's render against the live API server: the root Application's objects,
 * then each child Application in wave order (namespace created when `CreateNamespace=true`, PreSync hooks run to
 * completion first, `BeforeHookCreation` hooks deleted before they are re-created, Sync-phase objects by wave and
 * kind), all by server-side apply. Every refusal is collected, not thrown, so one run lists them all.
 */
import { SKIPPED_KINDS } from './crds.ts';
import { type KubeClient, KubeError, type KubeObject } from './kube-client.ts';
import { folderObjects, type RenderSource } from './render-source.ts';
import { type Application, applicationOrder, describe, HOOK_DELETE_POLICY, objectKey, syncOrder } from './sync-plan.ts';
import { waitFor } from './wait.ts';

export interface SyncResult {
  /** Object keys (objectKey) each Application manages, hooks excluded: what a later sync prunes. */
  managed: Map<string, KubeObject>;
  problems: string[];
  /** Applications whose source is a Helm chart: applied as Applications, their chart not rendered. */
  charts: string[];
  /** Objects of a kind in SKIPPED_KINDS, with the reason. */
  skipped: string[];
}

export interface SyncHooks {
  /** Called after each wave of an Application (Gatekeeper's controller creates constraint CRDs here). */
  afterWave?(app: string, applied: KubeObject[]): Promise<void>;
}

async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  if (await client.get('v1', 'Namespace', name)) return;
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

function refusal(app: string, object: KubeObject, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const immutable = /immutable|may not change once set|cannot be changed/i.test(message) ? ' (immutable field)' : '';
  return `${app}: ${describe(object)} refused${immutable}: ${message}`;
}

async function runHookJob(client: KubeClient, app: string, job: KubeObject): Promise<string | undefined> {
  const { name, namespace } = job.metadata;
  const state = await waitFor(`${app}: PreSync ${describe(job)} to complete`, 60_000, async () => {
    const live = await client.get<{ status?: { conditions?: { type: string; status: string; message?: string }[] } }>(
      'batch/v1',
      'Job',
      name,
      namespace,
    );
    const done = live?.status?.conditions?.find(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    return done ? `${done.type}${done.message ? `: ${done.message}` : ''}` : undefined;
  });
  return state.startsWith('Complete') ? undefined : `${app}: PreSync ${describe(job)} ${state}`;
}

async function syncApplication(
  client: KubeClient,
  app: string,
  objects: KubeObject[],
  destination: string | undefined,
  createNamespace: boolean,
  result: SyncResult,
  hooks: SyncHooks,
): Promise<void> {
  if (createNamespace && destination) await ensureNamespace(client, destination);
  const plan = syncOrder(objects);
  let wave: { phase: string; wave: number } | undefined;
  let applied: KubeObject[] = [];
  const closeWave = async () => {
    if (applied.length > 0) await hooks.afterWave?.(app, applied);
    applied = [];
  };
  for (const step of plan) {
    if (wave && (wave.phase !== step.phase || wave.wave !== step.wave)) await closeWave();
    wave = step;
    const object = structuredClone(step.object);
    const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
    const skipped = SKIPPED_KINDS[`${group}/${object.kind}`];
    if (skipped) {
      result.skipped.push(`${app}: ${describe(object)} not rehearsed: ${skipped}`);
      continue;
    }
    try {
      if (!object.metadata.namespace && destination && (await client.namespaced(object.apiVersion, object.kind)))
        object.metadata.namespace = destination;
      const isHook = step.phase !== 'Sync';
      if (
        isHook &&
        (object.metadata.annotations?.[HOOK_DELETE_POLICY] ?? 'BeforeHookCreation').includes('BeforeHookCreation')
      ) {
        const { apiVersion, kind, metadata } = object;
        await client.delete(apiVersion, kind, metadata.name, metadata.namespace);
        await waitFor(`${app}: old hook ${describe(object)} to be deleted`, 30_000, async () =>
          (await client.get(apiVersion, kind, metadata.name, metadata.namespace)) ? undefined : true,
        );
      }
      await client.apply(object);
      applied.push(object);
      if (!isHook) result.managed.set(objectKey(object), object);
      if (isHook && object.kind === 'Job') {
        const failed = await runHookJob(client, app, object);
        if (failed) result.problems.push(failed);
      }
    } catch (error) {
      result.problems.push(refusal(app, object, error));
      // Still wanted: a refused object is a failed sync, never something to prune.
      if (step.phase === 'Sync') result.managed.set(objectKey(object), object);
    }
  }
  await closeWave();
}

/** Syncs the root Application `rootName` of the render in `envFolder` and then every child it creates. */
export async function syncRender(
  client: KubeClient,
  source: RenderSource,
  envFolder: string,
  rootName: string,
  hooks: SyncHooks = {},
): Promise<SyncResult> {
  const result: SyncResult = { managed: new Map(), problems: [], charts: [], skipped: [] };
  const rootObjects = folderObjects(source, envFolder);
  const root = applicationOrder(rootObjects).find((a) => a.metadata.name === rootName);
  if (!root) throw new Error(`${source.label}: ${envFolder} has no root Application named ${rootName}`);
  const options = (a: Application) => a.spec.syncPolicy?.syncOptions ?? [];
  await syncApplication(
    client,
    rootName,
    rootObjects,
    root.spec.destination.namespace,
    options(root).includes('CreateNamespace=true'),
    result,
    hooks,
  );
  for (const app of applicationOrder(rootObjects)) {
    if (app.metadata.name === rootName) continue;
    const { source: appSource, destination } = app.spec;
    if (appSource.chart) {
      result.charts.push(`${app.metadata.name} (${appSource.chart} ${appSource.targetRevision})`);
      // The chart is not rendered, but Argo CD creates its destination namespace before anything else of it, and
      // later waves (the platform's NetworkPolicies in add-on namespaces) rely on that.
      if (options(app).includes('CreateNamespace=true')) {
        if (!destination.namespace)
          throw new Error(`${describe(app)}: CreateNamespace=true without a destination namespace`);
        await ensureNamespace(client, destination.namespace);
      }
      continue;
    }
    if (!appSource.path) throw new Error(`${describe(app)}: neither a chart nor a path`);
    const objects = folderObjects(source, appSource.path, appSource.directory?.recurse ?? false);
    await syncApplication(
      client,
      app.metadata.name,
      objects,
      destination.namespace,
      options(app).includes('CreateNamespace=true'),
      result,
      hooks,
    );
  }
  return result;
}

/**
 * Deletes what the earlier sync managed and this one does not (Argo CD's prune, foreground). An object still there
 * after the timeout (a finalizer nobody removes, a namespace that cannot empty) is one Argo CD would have to prune
 * by force: a problem.
 */
export async function prune(
  client: KubeClient,
  before: SyncResult,
  after: SyncResult,
): Promise<{ pruned: string[]; problems: string[] }> {
  const gone = [...before.managed].filter(([key]) => !after.managed.has(key)).map(([, object]) => object);
  const problems: string[] = [];
  for (const object of gone.reverse()) {
    const { apiVersion, kind, metadata } = object;
    try {
      await client.delete(apiVersion, kind, metadata.name, metadata.namespace);
      await waitFor(`prune of ${describe(object)}`, 20_000, async () =>
        (await client.get(apiVersion, kind, metadata.name, metadata.namespace)) ? undefined : true,
      );
    } catch (error) {
      const live = await client.get(apiVersion, kind, metadata.name, metadata.namespace).catch(() => undefined);
      const finalizers = (live?.metadata as { finalizers?: string[] } | undefined)?.finalizers ?? [];
      problems.push(
        `upgrade: ${describe(object)} is no longer rendered but cannot be pruned without force${
          finalizers.length ? ` (finalizers: ${finalizers.join(', ')})` : ''
        }: ${error instanceof KubeError ? error.message : String(error)}`,
      );
    }
  }
  return { pruned: gone.map(describe), problems };
}
