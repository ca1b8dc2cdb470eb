import type { PlatformConfig, ResolvedEnvironment } from '@innovate/config';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../src/chart.ts';
import { OFF_HOURS } from '../src/charts/api-off-hours.ts';
import { buildCharts, deployContext } from '../src/render.ts';
import { config, find, type Json, objectsOf } from './helpers.ts';

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));

/** `15 7 * * MON,FRI` → { minutes: 435, days: 'MON,FRI' }, read back from the render, not from the code. */
function parse(schedule: string): { minutes: number; days: string } {
  const [minute, hour, dayOfMonth, month, days] = schedule.split(' ');
  expect([dayOfMonth, month]).toEqual(['*', '*']);
  return { minutes: Number(hour) * 60 + Number(minute), days: days ?? '' };
}

const command = (job: Json): string[] => job.spec.jobTemplate.spec.template.spec.containers[0].command;

/** The render's off-hours objects against config `costPolicy.offHours`; a mismatch fails naming what differs. */
function expectMatches(objects: KubeObject[], env: ResolvedEnvironment): void {
  const offHours = env.costPolicy.offHours;
  const jobs = (find(objects, 'CronJob') as Json[]).filter((j) => j.metadata.name.startsWith('api-off-hours-'));
  if (!offHours.enabled) {
    expect(jobs).toEqual([]);
    expect(find(objects, 'Role')).toEqual([]);
    return;
  }
  const sleep = jobs.find((j) => j.metadata.name === OFF_HOURS.sleepJob);
  const wake = jobs.find((j) => j.metadata.name === OFF_HOURS.wakeJob);
  expect(jobs).toHaveLength(2);
  for (const job of [sleep, wake]) expect(job.spec.timeZone, job.metadata.name).toBe(offHours.timeZone);
  // Sleep every day at stop, the minute EventBridge stops the database and shrinks the system nodes.
  expect(parse(sleep.spec.schedule)).toEqual({ minutes: minutes(offHours.stop), days: '*' });
  expect(command(sleep)).toEqual(['innovate-api', 'scale-api', '--rollout', 'api', '--replicas', '0']);
  // Wake on workdays, after the database and the nodes were started, and only once the database answers.
  expect(parse(wake.spec.schedule)).toEqual({
    minutes: minutes(offHours.start) + offHours.apiWakeDelayMinutes,
    days: offHours.workdays.join(','),
  });
  expect(command(wake)).toEqual([
    'innovate-api',
    'scale-api',
    '--rollout',
    'api',
    '--replicas',
    String(env.api.minReplicas),
    '--wait-for-database',
    String(OFF_HOURS.databaseWaitSeconds),
  ]);
  expect(wake.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(OFF_HOURS.databaseWaitSeconds);
}

function mutated(change: (env: ResolvedEnvironment) => void): { objects: KubeObject[]; env: ResolvedEnvironment } {
  const copy: PlatformConfig = structuredClone(config);
  const env = copy.environments.find((e) => e.name === 'dev') as ResolvedEnvironment;
  change(env);
  return { objects: buildCharts(deployContext(copy, 'dev')).flatMap((c) => Testing.synth(c) as KubeObject[]), env };
}

describe('api: off-hours CronJobs follow config costPolicy.offHours (requirement COST-3)', () => {
  it.each(config.environments.map((e) => e.name))(
    '%s: sleep at stop, wake after start on workdays, or none',
    (name) => {
      expectMatches(objectsOf(name), config.environments.find((e) => e.name === name) as ResolvedEnvironment);
    },
  );

  it('dev is scheduled, and the wake-up comes after the database and the nodes start', () => {
    const dev = config.environments.find((e) => e.name === 'dev') as ResolvedEnvironment;
    expect(dev.costPolicy.offHours.enabled).toBe(true);
    expect(dev.costPolicy.offHours.apiWakeDelayMinutes).toBeGreaterThan(0);
    const jobs = find(objectsOf('dev'), 'CronJob').map((j) => j.metadata?.name);
    expect(jobs).toEqual(expect.arrayContaining([OFF_HOURS.sleepJob, OFF_HOURS.wakeJob]));
  });

  it('the Jobs may patch the scale of the API Rollout and nothing else; only their pods get a token', () => {
    const objects = objectsOf('dev');
    expect((find(objects, 'Role') as Json[]).map((r) => r.rules)).toEqual([
      [{ apiGroups: ['argoproj.io'], resources: ['rollouts/scale'], resourceNames: ['api'], verbs: ['patch'] }],
    ]);
    const binding = find(objects, 'RoleBinding')[0] as Json;
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: OFF_HOURS.serviceAccount, namespace: 'api' }]);
    const tokenPods = [
      ...(find(objects, 'CronJob') as Json[]).map((j) => j.spec.jobTemplate.spec.template.spec),
      ...(find(objects, 'Rollout') as Json[]).map((r) => r.spec.template.spec),
      ...(find(objects, 'Job') as Json[]).map((j) => j.spec.template.spec),
    ].filter((spec) => spec.automountServiceAccountToken !== false);
    expect(tokenPods.map((spec) => spec.serviceAccountName)).toEqual([
      OFF_HOURS.serviceAccount,
      OFF_HOURS.serviceAccount,
    ]);
  });

  it("Argo CD's self-heal leaves the replicas the Jobs set: the Rollout has none, the Application ignores them", () => {
    const objects = objectsOf('dev');
    expect((find(objects, 'Rollout', 'api')[0] as Json).spec.replicas).toBeUndefined();
    const application = find(objects, 'Application', 'api')[0] as Json;
    expect(application.spec.ignoreDifferences).toContainEqual({
      group: 'argoproj.io',
      kind: 'Rollout',
      name: 'api',
      jsonPointers: ['/spec/replicas'],
    });
    expect(application.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  // Each mutation renders dev from a config that differs in one field; the check against the real config must fail.
  describe('a render that differs from config is caught', () => {
    const dev = config.environments.find((e) => e.name === 'dev') as ResolvedEnvironment;
    it.each<[string, (env: ResolvedEnvironment) => void]>([
      ['stop time', (env) => Object.assign(env.costPolicy.offHours, { stop: '21:00' })],
      ['start time', (env) => Object.assign(env.costPolicy.offHours, { start: '06:00' })],
      ['wake delay', (env) => Object.assign(env.costPolicy.offHours, { apiWakeDelayMinutes: 0 })],
      ['time zone', (env) => Object.assign(env.costPolicy.offHours, { timeZone: 'UTC' })],
      ['workdays', (env) => Object.assign(env.costPolicy.offHours, { workdays: ['MON'] })],
      ['replicas in the morning', (env) => Object.assign(env.api, { minReplicas: 2 })],
      ['schedule off', (env) => Object.assign(env.costPolicy.offHours, { enabled: false })],
    ])('%s', (_, change) => {
      expect(() => expectMatches(mutated(change).objects, dev)).toThrow();
    });
  });
});
