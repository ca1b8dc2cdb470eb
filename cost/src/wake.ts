/**
 * `make wake ENV=dev`: start an environment its off-hours schedule has stopped, in the schedule's wake-up order
 * (the database first; the API's readiness waits for it). The commands are built from config, offline; `--run`
 * executes them with the AWS CLI and the caller's credentials (docs/runbooks/wake-dev-early.md).
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
  return [
    ['aws', 'rds', 'start-db-instance', ...db],
    ['aws', 'rds', 'wait', 'db-instance-available', ...db],
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
