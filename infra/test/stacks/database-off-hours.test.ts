import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';

interface Schedule {
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  Target: { Arn: unknown; Input: string };
}

function schedules(name: (typeof ENVIRONMENTS)[number]): Schedule[] {
  return Object.values(templateOf(name, 'data').findResources('AWS::Scheduler::Schedule')).map(
    (r) => r.Properties as Schedule,
  );
}

/** `cron(30 7 ? * MON,TUE *)` → { minutes: 450, days: 'MON,TUE' }, read back from the template, not from the code. */
function parse(expression: string): { minutes: number; days: string } {
  const [minute, hour, , , days] = /^cron\((.*)\)$/.exec(expression)?.[1]?.split(' ') ?? [];
  return { minutes: Number(hour) * 60 + Number(minute), days: days ?? '' };
}

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));

describe('data: off-hours schedule in the template matches config costPolicy.offHours', () => {
  it.each(ENVIRONMENTS)('%s: a start on workdays and a daily stop at the configured times, or none', (name) => {
    const env = environment(name);
    const offHours = env.costPolicy.offHours;
    const found = schedules(name);
    if (!offHours.enabled) {
      expect(found).toEqual([]);
      return;
    }
    const action = (s: Schedule) => /rds:(\w+)/.exec(JSON.stringify(s.Target.Arn))?.[1];
    const start = found.find((s) => action(s) === 'startDBInstance');
    const stop = found.find((s) => action(s) === 'stopDBInstance');
    expect(found).toHaveLength(2);
    for (const schedule of [start, stop]) {
      expect(schedule?.ScheduleExpressionTimezone).toBe(offHours.timeZone);
      expect(JSON.parse(schedule?.Target.Input ?? '{}')).toEqual({
        DbInstanceIdentifier: env.names.databaseInstanceIdentifier,
      });
    }
    expect(parse(start?.ScheduleExpression ?? '')).toEqual({
      minutes: minutes(offHours.start),
      days: offHours.workdays.join(','),
    });
    // Every day, so RDS's own restart after 7 stopped days is undone the same evening.
    expect(parse(stop?.ScheduleExpression ?? '')).toEqual({ minutes: minutes(offHours.stop), days: '?' });
  });

  it('dev is scheduled (the one environment whose config turns it on)', () => {
    expect(environment('dev').costPolicy.offHours.enabled).toBe(true);
    expect(schedules('dev')).toHaveLength(2);
  });
});
