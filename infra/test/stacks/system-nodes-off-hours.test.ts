import type { ResolvedEnvironment } from '@innovate/config';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { systemNodegroupName } from '../../lib/constructs/eks-cluster.ts';
import { SystemNodesOffHours } from '../../lib/constructs/system-nodes-off-hours.ts';
import { ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';

interface Schedule {
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  Target: { Arn: unknown; Input: string; RoleArn: unknown };
}

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));

/** `cron(30 7 ? * MON,TUE *)` → { minutes: 450, days: 'MON,TUE' }, read back from the template. */
function parse(expression: string): { minutes: number; days: string } {
  const [minute, hour, , , days] = /^cron\((.*)\)$/.exec(expression)?.[1]?.split(' ') ?? [];
  return { minutes: Number(hour) * 60 + Number(minute), days: days ?? '' };
}

function nodegroupSchedules(template: Template): Schedule[] {
  return Object.values(template.findResources('AWS::Scheduler::Schedule'))
    .map((r) => r.Properties as Schedule)
    .filter((s) => JSON.stringify(s.Target.Arn).includes('eks:updateNodegroupConfig'));
}

/** The start and stop schedules' inputs and times, as the template says them. */
function read(template: Template) {
  const found = nodegroupSchedules(template);
  const byDays = (days: string) => found.find((s) => parse(s.ScheduleExpression).days === days);
  return { found, stop: byDays('?'), start: found.find((s) => parse(s.ScheduleExpression).days !== '?') };
}

/** What config says the template must hold; a mismatch names the field. */
function expectMatches(template: Template, env: ResolvedEnvironment): void {
  const offHours = env.costPolicy.offHours;
  const { found, start, stop } = read(template);
  expect(found).toHaveLength(2);
  const nodes = env.cluster.systemNodes;
  const target = { ClusterName: env.names.clusterName, NodegroupName: systemNodegroupName(env.names.clusterName) };
  expect(JSON.parse(start?.Target.Input ?? '{}')).toEqual({
    ...target,
    ScalingConfig: { MinSize: nodes.minSize, DesiredSize: nodes.desiredSize, MaxSize: nodes.maxSize },
  });
  expect(JSON.parse(stop?.Target.Input ?? '{}')).toEqual({
    ...target,
    ScalingConfig: {
      MinSize: offHours.systemNodesAtNight,
      DesiredSize: offHours.systemNodesAtNight,
      MaxSize: nodes.maxSize,
    },
  });
  for (const schedule of [start, stop]) expect(schedule?.ScheduleExpressionTimezone).toBe(offHours.timeZone);
  expect(parse(start?.ScheduleExpression ?? '')).toEqual({
    minutes: minutes(offHours.start),
    days: offHours.workdays.join(','),
  });
  expect(parse(stop?.ScheduleExpression ?? '')).toEqual({ minutes: minutes(offHours.stop), days: '?' });
}

describe('cluster: the system node group follows config costPolicy.offHours (requirement COST-3)', () => {
  it.each(ENVIRONMENTS)('%s: night size at stop every day, day size at start on workdays, or no schedule', (name) => {
    const env = environment(name);
    const template = templateOf(name, 'cluster');
    if (!env.costPolicy.offHours.enabled) {
      expect(nodegroupSchedules(template)).toEqual([]);
      return;
    }
    expectMatches(template, env);
  });

  it('dev: the nodes wake with the database, before the API (wake-up order)', () => {
    const env = environment('dev');
    const database = Object.values(templateOf('dev', 'data').findResources('AWS::Scheduler::Schedule'))
      .map((r) => r.Properties as Schedule)
      .find((s) => JSON.stringify(s.Target.Arn).includes('rds:startDBInstance'));
    const { start } = read(templateOf('dev', 'cluster'));
    expect(parse(start?.ScheduleExpression ?? '').minutes).toBe(parse(database?.ScheduleExpression ?? '').minutes);
    expect(env.costPolicy.offHours.apiWakeDelayMinutes).toBeGreaterThan(0);
  });

  it('the scheduler role may resize this node group only, and nothing else', () => {
    const policies = templateOf('dev', 'cluster').findResources('AWS::IAM::Policy');
    const statements = Object.entries(policies)
      .filter(([id]) => id.startsWith('SystemNodesOffHoursSchedulerRole'))
      .flatMap(([, p]) => (p.Properties as { PolicyDocument: { Statement: unknown[] } }).PolicyDocument.Statement);
    expect(statements).toEqual([
      expect.objectContaining({ Action: 'eks:UpdateNodegroupConfig', Effect: 'Allow', Resource: expect.anything() }),
    ]);
    expect(JSON.stringify(statements)).toContain('SystemNodes');
  });

  // The checks above must fail when the template drifts from config: each mutation changes one thing.
  describe('a schedule that differs from config is caught', () => {
    const env = environment('dev');
    const offHours = env.costPolicy.offHours;
    const nodes = env.cluster.systemNodes;
    const build = (change: Partial<typeof offHours>, day = nodes) => {
      const stack = new Stack(new App(), 'Mutated');
      new SystemNodesOffHours(stack, 'SystemNodesOffHours', {
        nodegroup: { nodegroupArn: 'arn:aws:eks:us-east-1:100000000011:nodegroup/c/SystemNodes/1' },
        clusterName: env.names.clusterName,
        nodegroupName: systemNodegroupName(env.names.clusterName),
        day: { minSize: day.minSize, desiredSize: day.desiredSize, maxSize: day.maxSize },
        offHours: { ...offHours, ...change },
      });
      return Template.fromStack(stack);
    };
    it('the unmutated construct matches', () => expectMatches(build({}), env));
    it.each([
      ['night size', { systemNodesAtNight: offHours.systemNodesAtNight + 1 }],
      ['time zone', { timeZone: 'Europe/Berlin' }],
      ['start time', { start: '06:00' }],
      ['stop time', { stop: '21:00' }],
      ['workdays', { workdays: ['MON'] as typeof offHours.workdays }],
    ])('%s', (_, change) => {
      expect(() => expectMatches(build(change), env)).toThrow();
    });
    it('day size', () => {
      expect(() => expectMatches(build({}, { ...nodes, desiredSize: nodes.desiredSize + 1 }), env)).toThrow();
    });
  });
});
