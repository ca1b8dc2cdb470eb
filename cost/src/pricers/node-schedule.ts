/**
 * The system node group's off-hours schedule as the template states it (infra SystemNodesOffHours): two EventBridge
 * Scheduler schedules calling eks:UpdateNodegroupConfig on the node group, the day sizes at `start` on workdays and
 * the night sizes at `stop`. The model prices compute from it: the node group's hours at each size, and the
 * Karpenter baseline only in the hours the API runs (usage-lines.ts), because the API's off-hours CronJobs (deploy,
 * api chart) scale it to zero at the same `stop` and back after `start`; both are generated from config
 * `costPolicy.offHours`, and a test on each side checks its half against config.
 */
import type { CfnResource } from '../synth.ts';
import { prop, stringProp } from './context.ts';

export interface NodeSchedule {
  /** Share of the week at the day size (workdays × hours from start to stop, over 168). */
  dayShare: number;
  /** Desired size by day and at night. */
  dayDesired: number;
  nightDesired: number;
}

interface Found {
  minutes: number;
  days: string;
  desired: number;
}

/** The schedule resizing `nodegroupName` in `template`, or undefined when there is none (or only one half). */
export function nodeSchedule(template: Record<string, CfnResource>, nodegroupName: string): NodeSchedule | undefined {
  const found: Found[] = [];
  for (const candidate of Object.values(template)) {
    if (candidate.Type !== 'AWS::Scheduler::Schedule') continue;
    const target = prop(candidate, 'Target') as { Arn?: unknown; Input?: string } | undefined;
    if (!JSON.stringify(target?.Arn ?? '').includes('eks:updateNodegroupConfig')) continue;
    const input = JSON.parse(target?.Input ?? '{}') as {
      NodegroupName?: string;
      ScalingConfig?: { DesiredSize?: number };
    };
    if (input.NodegroupName !== nodegroupName || input.ScalingConfig?.DesiredSize === undefined) continue;
    const fields = /^cron\((\S+) (\S+) \S+ \S+ (\S+) \S+\)$/.exec(stringProp(candidate, 'ScheduleExpression') ?? '');
    if (!fields) continue;
    found.push({
      minutes: Number(fields[2]) * 60 + Number(fields[1]),
      days: fields[3] as string,
      desired: input.ScalingConfig.DesiredSize,
    });
  }
  // The stop runs every day (`?`), the start on the workdays it names.
  const daily = (f: Found) => f.days === '?' || f.days === '*';
  const stop = found.find(daily);
  const start = found.find((f) => !daily(f));
  if (found.length !== 2 || !start || !stop || stop.minutes <= start.minutes) return undefined;
  const days = start.days.split(',').length;
  return {
    dayShare: Math.min(1, (days * (stop.minutes - start.minutes)) / 60 / 168),
    dayDesired: start.desired,
    nightDesired: stop.desired,
  };
}

/** The share of the week the Karpenter baseline runs: the node group's day share, 1 without a schedule. */
export function computeDayShare(resources: readonly { resource: CfnResource }[]): number {
  const template = Object.fromEntries(resources.map((r, index) => [String(index), r.resource]));
  for (const { resource } of resources) {
    if (resource.Type !== 'AWS::EKS::Nodegroup') continue;
    const name = stringProp(resource, 'NodegroupName');
    const schedule = name ? nodeSchedule(template, name) : undefined;
    if (schedule) return schedule.dayShare;
  }
  return 1;
}
