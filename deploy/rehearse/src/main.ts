/**
 * `make rehearse [ENVS="dev prod"]`: every environment's render applied to a real control plane, upgraded from the
 * previous commit that changed deploy/rendered/ (ADR 0110). Prints one block per environment and exits 1 on any
 * problem. Each environment has its own control plane (own etcd and etcd prefix); the rehearsals run at the same
 * time and each control plane is stopped when its rehearsal ends.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformConfig } from '@innovate/config';
import { toolchainFromEnv } from './control-plane.ts';
import { addonCrds, crdToolsFromEnv, NOT_REHEARSED } from './crds.ts';
import { prepareCluster, rehearseEnvironment, startPlane } from './environment.ts';
import { atCommit, previousRenderCommit, workingTree } from './render-source.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main(args: string[]): Promise<number> {
  const config = loadPlatformConfig();
  const envs = args.length > 0 ? args.map((name) => config.environment(name)) : config.environments;
  const tools = toolchainFromEnv();
  const crdTools = crdToolsFromEnv(REPO);
  const previousCommit = previousRenderCommit(REPO);
  const renders = { previous: atCommit(REPO, previousCommit), current: workingTree(REPO) };
  console.log(
    `rehearse: Kubernetes ${tools.kubeVersion} control plane per environment; upgrade from ${renders.previous.label}`,
  );
  for (const { kinds, reason } of NOT_REHEARSED) console.log(`not rehearsed: ${kinds}: ${reason}`);
  const started = Date.now();
  // Each environment on its own control plane. kwokctl picks free ports as it creates a cluster, so the control
  // planes start one after another; CRDs and rehearsals then run at the same time (mostly waiting for controllers).
  const crds = addonCrds(crdTools);
  const planes: Awaited<ReturnType<typeof startPlane>>[] = [];
  try {
    for (const env of envs) planes.push(await startPlane(tools, `rehearse-${env.name}`));
  } catch (error) {
    for (const { plane } of planes) plane.stop();
    throw error;
  }
  const outcomes = await Promise.all(
    envs.map(async (env, i) => {
      const started = planes[i] as (typeof planes)[number];
      try {
        return await rehearseEnvironment(await prepareCluster(started, crds), REPO, env, crdTools, renders);
      } finally {
        started.plane.stop();
      }
    }),
  );
  let failed = 0;
  for (const report of outcomes) {
    console.log(`\n${report.env}: ${report.problems.length === 0 ? 'ok' : `${report.problems.length} problem(s)`}`);
    for (const line of report.lines) console.log(`  ${line}`);
    for (const problem of report.problems) console.log(`  PROBLEM ${problem}`);
    if (report.problems.length > 0) failed++;
  }
  console.log(
    `\nrehearse: ${envs.length - failed}/${envs.length} environments passed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rehearse: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
