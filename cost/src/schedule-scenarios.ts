/**
 * Each environment's bill with its off-hours schedule on and off, whatever its config says: the model prices the
 * schedules it finds in the templates (pricers/database.ts), so the variants add or remove those schedules.
 * The schedules added are the ones config `costPolicy.offHours` describes, written as infra's DatabaseOffHours and
 * SystemNodesOffHours write them (the database stopped; the system node group at its night size, and with it the
 * Karpenter baseline priced only by day: pricers/node-schedule.ts).
 */
import type { OffHours, PlatformConfig } from '@innovate/config';
import { estimate } from './model.ts';
import type { PriceTable } from './price-table.ts';
import type { CfnResource, SynthStack } from './synth.ts';

const SCHEDULE = 'AWS::Scheduler::Schedule';

export interface ScheduleFigures {
  account: string;
  scheduled: boolean;
  aroundTheClockUsd: number;
  withScheduleUsd: number;
  /** Hours a week the schedule keeps the environment running. */
  weeklyHours: number;
}

function cron(clock: string, days: string): string {
  const [hour, minute] = clock.split(':').map(Number);
  return days === '*' ? `cron(${minute} ${hour} * * ? *)` : `cron(${minute} ${hour} ? * ${days} *)`;
}

function schedule(action: 'start' | 'stop', identifier: string, offHours: OffHours): CfnResource {
  const expression = action === 'start' ? cron(offHours.start, offHours.workdays.join(',')) : cron(offHours.stop, '*');
  return {
    Type: SCHEDULE,
    Properties: {
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: offHours.timeZone,
      Target: {
        Arn: `arn:aws:scheduler:::aws-sdk:rds:${action}DBInstance`,
        Input: JSON.stringify({ DbInstanceIdentifier: identifier }),
      },
    },
  };
}

/** The system node group's two resizes, as infra's SystemNodesOffHours writes them. */
function nodegroupSchedule(
  action: 'start' | 'stop',
  nodegroupName: string,
  sizes: { minSize: number; desiredSize: number; maxSize: number },
  offHours: OffHours,
): CfnResource {
  const night = offHours.systemNodesAtNight;
  const size = action === 'start' ? sizes : { minSize: night, desiredSize: night, maxSize: sizes.maxSize };
  return {
    Type: SCHEDULE,
    Properties: {
      ScheduleExpression:
        action === 'start' ? cron(offHours.start, offHours.workdays.join(',')) : cron(offHours.stop, '*'),
      ScheduleExpressionTimezone: offHours.timeZone,
      Target: {
        Arn: 'arn:aws:scheduler:::aws-sdk:eks:updateNodegroupConfig',
        Input: JSON.stringify({
          NodegroupName: nodegroupName,
          ScalingConfig: { MinSize: size.minSize, DesiredSize: size.desiredSize, MaxSize: size.maxSize },
        }),
      },
    },
  };
}

function variant(stacks: readonly SynthStack[], config: PlatformConfig, on: boolean): SynthStack[] {
  return stacks.map((stack) => {
    const env = config.environments.find((e) => e.account.id === stack.account);
    const copy: SynthStack = structuredClone(stack);
    if (!env) return copy;
    const resources = copy.template.Resources ?? {};
    for (const [id, resource] of Object.entries(resources)) if (resource.Type === SCHEDULE) delete resources[id];
    if (!on) return copy;
    const identifier = env.names.databaseInstanceIdentifier;
    const hasInstance = Object.values(resources).some(
      (r) => r.Type === 'AWS::RDS::DBInstance' && r.Properties?.DBInstanceIdentifier === identifier,
    );
    const offHours = { ...env.costPolicy.offHours, enabled: true };
    if (hasInstance) {
      resources.OffHoursStartScenario = schedule('start', identifier, offHours);
      resources.OffHoursStopScenario = schedule('stop', identifier, offHours);
    }
    const nodegroup = Object.values(resources).find((r) => r.Type === 'AWS::EKS::Nodegroup');
    const nodegroupName = nodegroup?.Properties?.NodegroupName;
    if (typeof nodegroupName === 'string') {
      const sizes = env.cluster.systemNodes;
      resources.NodesOffHoursStartScenario = nodegroupSchedule('start', nodegroupName, sizes, offHours);
      resources.NodesOffHoursStopScenario = nodegroupSchedule('stop', nodegroupName, sizes, offHours);
    }
    return copy;
  });
}

export function scheduleFigures(
  stacks: readonly SynthStack[],
  config: PlatformConfig,
  prices: PriceTable,
): ScheduleFigures[] {
  const always = estimate(variant(stacks, config, false), config, prices);
  const scheduled = estimate(variant(stacks, config, true), config, prices);
  const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
  return config.environments.map((env) => {
    const offHours = env.costPolicy.offHours;
    return {
      account: env.name,
      scheduled: offHours.enabled,
      aroundTheClockUsd: always.accounts.find((a) => a.account === env.name)?.totalUsd ?? 0,
      withScheduleUsd: scheduled.accounts.find((a) => a.account === env.name)?.totalUsd ?? 0,
      weeklyHours: (offHours.workdays.length * (minutes(offHours.stop) - minutes(offHours.start))) / 60,
    };
  });
}
