/**
 * `make wake ENV=dev`: start an environment its off-hours schedule has stopped, in the schedule's wake-up order:
 * the database, the system node group back at its day size, then the API through a run of its wake-up CronJob
 * (which itself waits for the database before it scales the Rollout). The commands are built from config, offline;
 * `--run` executes them with the caller's credentials and kubectl context (docs/runbooks/wake-dev-early.md).
 */
import { spawnSync } from 'node:child_process';
import type { ResolvedEnvironment } from '@innovate/config';

export class WakeError extends Error {
  override name = 'WakeError';
}

/** The AWS CLI calls that wake `env`, in order. */
export function wakeCommands(env: ResolvedEnvironment): string[][] {
  if (!env.costPolicy.offHours.enabled) {
    throw new WakeError(`${env.name}: costPolicy.offHours.enabled is false, nothing stops it`);
  }
  const db = ['--region', env.region, '--db-instance-identifier', env.names.databaseInstanceIdentifier];
  const nodegroup = ['--region', env.region, '--cluster-name', env.names.clusterName, '--nodegroup-name'];
  const name = `${env.names.clusterName}-system`;
  const { minSize, desiredSize, maxSize } = env.cluster.systemNodes;
  return [
    ['aws', 'rds', 'start-db-instance', ...db],
    [
      'aws',
      'eks',
      'update-nodegroup-config',
      ...nodegroup,
      name,
      '--scaling-config',
      `minSize=${minSize},maxSize=${maxSize},desiredSize=${desiredSize}`,
    ],
    ['aws', 'rds', 'wait', 'db-instance-available', ...db],
    ['aws', 'eks', 'wait', 'nodegroup-active', ...nodegroup, name],
    // The same Job the schedule runs: it checks the database itself, then sets the replicas to the HPA's minimum.
    [
      'kubectl',
      '--namespace',
      env.names.apiNamespace,
      'create',
      'job',
      '--from=cronjob/api-off-hours-wake',
      'api-off-hours-wake-early',
    ],
  ];
}

export function wake(env: ResolvedEnvironment, run: boolean): void {
  for (const command of wakeCommands(env)) {
    console.log(command.join(' '));
    if (!run) continue;
    const done = spawnSync(command[0] as string, command.slice(1), { stdio: 'inherit' });
    if (done.status !== 0)
      throw new WakeError(`${command.slice(0, 3).join(' ')} failed (exit ${done.status ?? 'signal'})`);
  }
  if (!run) console.log('(printed only: make wake ENV=<env> RUN=1 runs them)');
}
