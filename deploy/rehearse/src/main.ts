/**
 * `make rehearse [ENVS="dev prod"]`: every environment's render applied to a real control plane, upgraded from the
 * previous commit that changed deploy/rendered/ (ADR 0110). Prints one block per environment and exits 1 on any
 * problem. Environments run one after another, each on its own control plane, stopped before the next starts.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformConfig } from '@innovate/config';
import { toolchainFromEnv } from './control-plane.ts';
import { crdToolsFromEnv, NOT_REHEARSED } from './crds.ts';
import { rehearseEnvironment, startCluster } from './environment.ts';
import { atCommit, previousRenderCommit, workingTree } from './render-source.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main(args: string[]): Promise<number> {
  const config = loadPlatformConfig();
  const envs = args.length > 0 ? args.map((name) => config.environment(name)) : config.environments;
  const tools = toolchainFromEnv();
  const crdTools = crdToolsFromEnv(REPO);
  const previousCommit = previousRenderCommit(REPO);
  const renders = { previous: atCommit(REPO, previousCommit), current: workingTree(REPO) };
  console.log(`rehearse: Kubernetes ${tools.kubeVersion} control plane per environment; upgrade from ${renders.previous.label}`);
  for (const { kinds, reason } of NOT_REHEARSED) console.log(`not rehearsed: ${kinds}: ${reason}`);
  const started = Date.now();
  let failed = 0;
  for (const env of envs) {
    const t0 = Date.now();
    const cluster = await startCluster(tools, crdTools, `rehearse-${env.name}`);
    const startSeconds = (Date.now() - t0) / 1000;
    try {
      const report = await rehearseEnvironment(cluster, REPO, env, crdTools, renders);
      const status = report.problems.length === 0 ? 'ok' : `${report.problems.length} problem(s)`;
      console.log(`\n${env.name}: ${status} (control plane and CRDs ${startSeconds.toFixed(1)} s, rehearsal ${report.seconds.toFixed(1)} s)`);
      for (const line of report.lines) console.log(`  ${line}`);
      for (const problem of report.problems) console.log(`  PROBLEM ${problem}`);
      if (report.problems.length > 0) failed++;
    } finally {
      cluster.plane.stop();
    }
  }
  console.log(`\nrehearse: ${envs.length - failed}/${envs.length} environments passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rehearse: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
