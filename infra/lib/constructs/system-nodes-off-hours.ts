/**
 * Off-hours for the system node group (config `costPolicy.offHours`, requirement COST-3): EventBridge Scheduler sets
 * the managed node group to `systemNodesAtNight` nodes at `stop` and back to its day sizes at `start`, through
 * Scheduler's universal target (eks:UpdateNodegroupConfig; no function to run or patch).
 *
 * Same times as the database's schedules (DatabaseOffHours): the nodes come back while the database starts, and the
 * API's wake-up Job (deploy, api chart) runs `apiWakeDelayMinutes` later and waits for the database first. The
 * night minimum keeps Karpenter's controller (pinned to the system nodes) running: it removes the Karpenter nodes
 * the API left empty and launches one for the wake-up Job.
 */
import type { OffHours } from '@innovate/config';
import { Stack } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { offHoursCron } from './database-off-hours.ts';

/** Sizes of a managed node group, as eks:UpdateNodegroupConfig takes them. */
export interface NodegroupSizes {
  minSize: number;
  desiredSize: number;
  maxSize: number;
}

export interface SystemNodesOffHoursProps {
  /** The system node group to resize (its ARN scopes the scheduler's role). */
  nodegroup: Pick<eks.Nodegroup, 'nodegroupArn'>;
  /** Its cluster's name and its own name (config `names.clusterName`, `<cluster>-system`): the EKS API takes names. */
  clusterName: string;
  nodegroupName: string;
  /** Its day sizes (config `cluster.systemNodes`), restored at `start`. */
  day: NodegroupSizes;
  /** The schedule (config `costPolicy.offHours`); the construct is only created when it is enabled. */
  offHours: OffHours;
}

/** The scaling config each schedule sends: night at `stop`, day at `start`. */
export function systemNodeSizes(
  day: NodegroupSizes,
  offHours: OffHours,
): { start: NodegroupSizes; stop: NodegroupSizes } {
  const night = offHours.systemNodesAtNight;
  return { start: day, stop: { minSize: night, desiredSize: night, maxSize: day.maxSize } };
}

export class SystemNodesOffHours extends Construct {
  constructor(scope: Construct, id: string, props: SystemNodesOffHoursProps) {
    super(scope, id);
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `EventBridge Scheduler: resize ${props.nodegroupName} outside working hours`,
    });
    // This one node group only; not eks:UpdateNodegroupVersion or anything else on it.
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['eks:UpdateNodegroupConfig'], resources: [props.nodegroup.nodegroupArn] }),
    );
    const cron = offHoursCron(props.offHours);
    const sizes = systemNodeSizes(props.day, props.offHours);
    for (const [name, expression, size] of [
      ['Start', cron.start, sizes.start],
      ['Stop', cron.stop, sizes.stop],
    ] as const) {
      new scheduler.CfnSchedule(this, name, {
        name: `${props.nodegroupName}-off-hours-${name.toLowerCase()}`,
        description: `${name === 'Start' ? 'Day' : 'Night'} size of ${props.nodegroupName} (config costPolicy.offHours)`,
        scheduleExpression: expression,
        scheduleExpressionTimezone: props.offHours.timeZone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: `arn:${Stack.of(this).partition}:scheduler:::aws-sdk:eks:updateNodegroupConfig`,
          roleArn: role.roleArn,
          input: JSON.stringify({
            ClusterName: props.clusterName,
            NodegroupName: props.nodegroupName,
            ScalingConfig: { MinSize: size.minSize, DesiredSize: size.desiredSize, MaxSize: size.maxSize },
          }),
          // The same sizes twice is a no-op for EKS, so a retry after a throttled call is safe.
          retryPolicy: { maximumRetryAttempts: 3 },
        },
      });
    }
  }
}
