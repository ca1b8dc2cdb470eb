/**
 * Off-hours for the database (config `costPolicy.offHours`): EventBridge Scheduler starts the RDS instance at the
 * start of each working day and stops it every evening. Stopped, an instance bills only its storage.
 *
 * The stop runs every day, not only on workdays: RDS starts a stopped instance by itself after 7 days, and a daily
 * stop puts it back to sleep the same evening (a long holiday never leaves it running). The start comes first in
 * the wake-up order: the API's readiness waits for a database it can reach.
 */
import type { OffHours } from '@innovate/config';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

export interface DatabaseOffHoursProps {
  /** The instance to stop and start. */
  instance: rds.DatabaseInstance;
  /** Its identifier (config `names.databaseInstanceIdentifier`): the RDS API takes it, not the ARN. */
  instanceIdentifier: string;
  /** The schedule (config `costPolicy.offHours`); the construct is only created when it is enabled. */
  offHours: OffHours;
}

/** Scheduler cron expressions of the schedule: start on workdays, stop every day. */
export function offHoursCron(offHours: OffHours): { start: string; stop: string } {
  const [startHour, startMinute] = offHours.start.split(':').map(Number);
  const [stopHour, stopMinute] = offHours.stop.split(':').map(Number);
  return {
    start: `cron(${startMinute} ${startHour} ? * ${offHours.workdays.join(',')} *)`,
    stop: `cron(${stopMinute} ${stopHour} * * ? *)`,
  };
}

export class DatabaseOffHours extends Construct {
  constructor(scope: Construct, id: string, props: DatabaseOffHoursProps) {
    super(scope, id);
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `EventBridge Scheduler: stop and start ${props.instanceIdentifier} outside working hours`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['rds:StartDBInstance', 'rds:StopDBInstance'],
        resources: [props.instance.instanceArn],
      }),
    );
    const cron = offHoursCron(props.offHours);
    for (const [name, action, expression] of [
      ['Start', 'startDBInstance', cron.start],
      ['Stop', 'stopDBInstance', cron.stop],
    ] as const) {
      new scheduler.CfnSchedule(this, name, {
        // Named after the instance, so a person finds them from the database (docs/runbooks/wake-dev-early.md).
        name: `${props.instanceIdentifier}-off-hours-${name.toLowerCase()}`,
        description: `${name} ${props.instanceIdentifier} (config costPolicy.offHours)`,
        scheduleExpression: expression,
        scheduleExpressionTimezone: props.offHours.timeZone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          // Scheduler's universal target calls the RDS API itself: no function to run or patch.
          arn: `arn:${Stack.of(this).partition}:scheduler:::aws-sdk:rds:${action}`,
          roleArn: role.roleArn,
          input: JSON.stringify({ DbInstanceIdentifier: props.instanceIdentifier }),
          // A stop of an already stopped instance fails; retrying it is pointless.
          retryPolicy: { maximumRetryAttempts: name === 'Start' ? 3 : 0 },
        },
      });
    }
  }
}
