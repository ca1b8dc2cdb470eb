/**
 * One environment's rehearsal on its own control plane: CRDs, simulated nodes, the previous render synced, the
 * current render synced over it and what it no longer has pruned (the upgrade), the stand-ins for the controllers
 * not run, then every settle check (settle.ts). Returns the problems; an empty list is a pass.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedEnvironment } from '@innovate/config';
import { type ControlPlane, startControlPlane, type Toolchain } from './control-plane.ts';
import { type CrdTools, constraintCrds } from './crds.ts';
import { KubeClient, type KubeObject } from './kube-client.ts';
import { simulatedNodes } from './nodes.ts';
import { folderObjects, type RenderSource } from './render-source.ts';
import { settle } from './settle.ts';
import { cronJobRuns, rolloutReplicaSets } from './stand-ins.ts';
import { prune, syncRender } from './sync.ts';
import { waitFor } from './wait.ts';

export interface Cluster {
  plane: ControlPlane;
  client: KubeClient;
  /** Seconds per start-up step, for the report. */
  timings: Record<string, number>;
}

/** Runs `step`, adding its duration in seconds to `timings[name]`. */
export async function timed<T>(timings: Record<string, number>, name: string, step: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await step();
  } finally {
    timings[name] = (timings[name] ?? 0) + (Date.now() - t0) / 1000;
  }
}

/**
 * Applies CRDs and waits until each is Established (names accepted, served). Usually under a second each; the
 * deadline is generous because on a busy 2-core machine the apiserver's CRD controller fell behind 30 s.
 */
export async function installCrds(client: KubeClient, crds: KubeObject[]): Promise<void> {
  await Promise.all(crds.map((crd) => client.apply(crd)));
  await Promise.all(
    crds.map((crd) =>
      waitFor(`CRD ${crd.metadata.name} to be established`, 120_000, async () => {
        const live = await client.get<{ status?: { conditions?: { type: string; status: string }[] } }>(
          'apiextensions.k8s.io/v1',
          'CustomResourceDefinition',
          crd.metadata.name,
        );
        return live?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
          ? true
          : undefined;
      }),
    ),
  );
  client.forgetDiscovery();
}

/** Starts the control plane `name` (kwokctl picks free ports while it creates one: start them one at a time). */
export async function startPlane(
  tools: Toolchain,
  name: string,
): Promise<{ plane: ControlPlane; timings: Record<string, number> }> {
  const timings: Record<string, number> = {};
  const plane = await timed(timings, 'control plane', () => startControlPlane(tools, name));
  return { plane, timings };
}

/** Installs every add-on CRD on a started control plane: the rehearsal's and the refusal tests' starting point. */
export async function prepareCluster(
  started: { plane: ControlPlane; timings: Record<string, number> },
  crds: KubeObject[],
): Promise<Cluster> {
  const { plane, timings } = started;
  try {
    const client = new KubeClient(plane.credentials);
    await timed(timings, 'CRDs', () => installCrds(client, crds));
    return { plane, client, timings };
  } catch (error) {
    plane.stop();
    throw error;
  }
}

/** The zones of the environment's VPC: the first azCount of the zones infra/cdk.json pins for its account and region. */
export function zonesOf(repo: string, env: ResolvedEnvironment): string[] {
  const context = (
    JSON.parse(readFileSync(join(repo, 'infra/cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  ).context;
  const key = `availability-zones:account=${env.account.id}:region=${env.region}`;
  const zones = context[key];
  if (!Array.isArray(zones)) throw new Error(`infra/cdk.json: no context key ${key} (the zones of ${env.name})`);
  return (zones as string[]).slice(0, env.network.azCount);
}

export interface EnvironmentReport {
  env: string;
  problems: string[];
  lines: string[];
  seconds: number;
}

export async function rehearseEnvironment(
  cluster: Cluster,
  repo: string,
  env: ResolvedEnvironment,
  crdTools: CrdTools,
  renders: { previous: RenderSource; current: RenderSource },
): Promise<EnvironmentReport> {
  const started = Date.now();
  const { client } = cluster;
  const { names } = env;
  const lines: string[] = [];
  const problems: string[] = [];

  // Karpenter would launch these; the managed node group exists before Argo CD does.
  const nodePools = folderObjects(renders.current, `deploy/rendered/components/${env.name}`, true).filter(
    (o) => o.kind === 'NodePool',
  );
  const nodes = simulatedNodes(nodePools, zonesOf(repo, env), names.systemNodes);
  for (const node of nodes) await client.apply(node);
  lines.push(
    `${nodes.length} simulated nodes (${nodePools.map((p) => `NodePool ${p.metadata.name}`).join(', ')}, system node group)`,
  );

  // Gatekeeper's controller creates a constraint CRD for each ConstraintTemplate as soon as it is applied.
  const afterWave = async (_app: string, applied: KubeObject[]) => {
    const templates = applied.filter((o) => o.kind === 'ConstraintTemplate');
    if (templates.length === 0) return;
    const yaml = templates.map((t) => `---\n${JSON.stringify(t)}\n`).join('');
    await installCrds(client, constraintCrds(crdTools, yaml));
  };

  const envFolder = names.renderedManifestsPath;
  const { timings } = cluster;
  const before = await timed(timings, 'previous render', () =>
    syncRender(client, renders.previous, envFolder, names.argocdRootApplicationName, { afterWave }),
  );
  lines.push(`previous render (${renders.previous.label}): ${before.managed.size} objects synced`);
  // The previous render is what the cluster already runs: its refusals are reported, the upgrade is what is judged.
  for (const problem of before.problems) lines.push(`  note, previous render: ${problem}`);

  const after = await timed(timings, 'current render', () =>
    syncRender(client, renders.current, envFolder, names.argocdRootApplicationName, { afterWave }),
  );
  problems.push(...after.problems);
  const pruned = await timed(timings, 'prune', () => prune(client, before, after));
  problems.push(...pruned.problems);
  lines.push(
    `current render: ${after.managed.size} objects synced over it, ${pruned.pruned.length} pruned${pruned.pruned.length ? ` (${pruned.pruned.join(', ')})` : ''}`,
  );
  lines.push(`Helm-chart Applications applied, charts not rendered: ${after.charts.join(', ')}`);
  for (const line of after.skipped) lines.push(line);

  const namespaces = [
    ...new Set(
      [...after.managed.values()]
        .map((o) => o.metadata.namespace)
        .filter((ns): ns is string => !!ns && ns !== names.argocdNamespace),
    ),
  ].sort();
  for (const standIn of [rolloutReplicaSets, cronJobRuns]) {
    try {
      for (const line of await standIn(client, namespaces)) lines.push(`stand-in: ${line}`);
    } catch (error) {
      problems.push(`stand-in ${standIn.name}: ${(error as Error).message}`);
    }
  }
  const settled = await timed(timings, 'settle', () => settle(client, namespaces));
  lines.push(
    `seconds: ${Object.entries(timings)
      .map(([step, seconds]) => `${step} ${seconds.toFixed(1)}`)
      .join(', ')}`,
  );
  problems.push(...settled.problems);
  lines.push(...settled.summary);
  return { env: env.name, problems, lines, seconds: (Date.now() - started) / 1000 };
}
