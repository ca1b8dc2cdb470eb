/**
 * The environment's CloudWatch alarms (requirement OBS-4): database CPU, free storage, connections and replica lag; the API
 * ALB's 5xx responses and target response time. All notify one SNS topic.
 *
 * The ALB is created by the AWS Load Balancer Controller after this stack exists, so its `LoadBalancer` dimension
 * (which ends in a random id) cannot be known here. Its alarms are CloudWatch Metrics Insights queries over the
 * account's `AWS/ApplicationELB` metrics, one time series per load balancer: each environment account runs exactly
 * one internet-facing ALB (the API's), so the alarm follows it through re-creation without any ARN copied by hand.
 *
 * Every alarm's description ends with its runbook's URL (docs/runbooks/<alarm name without the prefix>.md), which
 * the e-mail and the page carry.
 */
import type { OrganizationConfig, ResolvedEnvironment } from '@innovate/config';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmRunbookPath, runbookUrl } from '../runbooks.ts';
import { ALARM_THRESHOLDS } from './alarm-thresholds.ts';

export interface ServiceAlarmsProps {
  /** Every alarm notifies this topic (e-mail). */
  topic: sns.ITopic;
  /** The user-facing alarms (see PAGING_ALARMS) also page through this topic; absent where nobody is paged. */
  pagingTopic?: sns.ITopic;
  /** Identifier of the primary database instance (config `names.databaseInstanceIdentifier`). */
  databaseIdentifier: string;
  /** Identifier of the read replica, when the environment has one. */
  replicaIdentifier?: string;
  /** Sizes the thresholds: storage, and the connection ceiling the API's pools can reach. */
  environment: ResolvedEnvironment;
  /** The repository whose docs/runbooks/ each alarm links. */
  organization: OrganizationConfig;
}

export { ALARM_THRESHOLDS } from './alarm-thresholds.ts';

/** Alarms that mean users are hurting now (or will be within hours): these page where paging is on (requirement OBS-4). */
export const PAGING_ALARMS = ['Alb5xx', 'AlbLatency', 'DatabaseFreeStorage'] as const;

export class ServiceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly runbook: (alarmName: string) => string;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const { environment } = props;
    this.runbook = (alarmName) => runbookUrl(props.organization, alarmRunbookPath(alarmName, environment.names.prefix));
    const period = Duration.minutes(5);
    const rdsMetric = (metricName: string, instance: string, statistic = 'Average') =>
      new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName,
        dimensionsMap: { DBInstanceIdentifier: instance },
        statistic,
        period,
      });
    const database = props.databaseIdentifier;
    const prefix = environment.names.prefix;

    this.add('DatabaseCpu', {
      alarmName: `${prefix}-rds-cpu`,
      alarmDescription: `RDS CPU above ${ALARM_THRESHOLDS.databaseCpuPercent}% for 15 minutes`,
      metric: rdsMetric('CPUUtilization', database),
      threshold: ALARM_THRESHOLDS.databaseCpuPercent,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    const allocatedBytes = environment.database.allocatedStorageGiB * 1024 ** 3;
    this.add('DatabaseFreeStorage', {
      alarmName: `${prefix}-rds-free-storage`,
      alarmDescription: `RDS free storage below ${ALARM_THRESHOLDS.freeStorageShare * 100}% of the allocated size`,
      metric: rdsMetric('FreeStorageSpace', database, 'Minimum'),
      threshold: Math.round(allocatedBytes * ALARM_THRESHOLDS.freeStorageShare),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    });

    // The API's pools can open at most maxReplicas × workers × dbPoolSize connections; more means a leak or an
    // unplanned client.
    const api = environment.api;
    const connectionCeiling = api.maxReplicas * api.workers * api.dbPoolSize;
    this.add('DatabaseConnections', {
      alarmName: `${prefix}-rds-connections`,
      alarmDescription: `RDS connections above the API pools' ceiling (${connectionCeiling})`,
      metric: rdsMetric('DatabaseConnections', database, 'Maximum'),
      threshold: connectionCeiling,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    if (props.replicaIdentifier) {
      this.add('DatabaseReplicaLag', {
        alarmName: `${prefix}-rds-replica-lag`,
        alarmDescription: `Read replica more than ${ALARM_THRESHOLDS.replicaLagSeconds}s behind`,
        metric: rdsMetric('ReplicaLag', props.replicaIdentifier, 'Maximum'),
        threshold: ALARM_THRESHOLDS.replicaLagSeconds,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }

    this.add('Alb5xx', {
      alarmName: `${prefix}-alb-5xx`,
      alarmDescription: `API targets answered more than ${ALARM_THRESHOLDS.alb5xxPerMinute} 5xx per minute`,
      metric: new cloudwatch.MathExpression({
        expression: 'SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
        period: Duration.minutes(1),
        label: 'API ALB target 5xx per minute',
      }),
      threshold: ALARM_THRESHOLDS.alb5xxPerMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    this.add('AlbLatency', {
      alarmName: `${prefix}-alb-target-latency`,
      alarmDescription: `API target response time above ${ALARM_THRESHOLDS.albTargetResponseSeconds}s`,
      metric: new cloudwatch.MathExpression({
        expression: 'SELECT MAX(TargetResponseTime) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
        period: Duration.minutes(1),
        label: 'API ALB target response time',
      }),
      threshold: ALARM_THRESHOLDS.albTargetResponseSeconds,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    const action = new actions.SnsAction(props.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    if (props.pagingTopic) {
      const page = new actions.SnsAction(props.pagingTopic);
      for (const alarm of this.alarms) {
        if ((PAGING_ALARMS as readonly string[]).includes(alarm.node.id)) {
          alarm.addAlarmAction(page);
          alarm.addOkAction(page);
        }
      }
    }
  }

  private add(id: string, props: cloudwatch.AlarmProps & { alarmName: string; alarmDescription: string }): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...props,
        alarmDescription: `${props.alarmDescription}. Runbook: ${this.runbook(props.alarmName)}`,
      }),
    );
  }
}
