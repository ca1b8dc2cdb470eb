/**
 * The CloudWatch alarms' thresholds (service-alarms.ts), apart from the CDK code so the generated dashboards
 * (deploy/src/dashboards/) draw the same lines without loading the CDK.
 */
/** Thresholds, derived from config where the config defines the quantity. */
export const ALARM_THRESHOLDS = {
  databaseCpuPercent: 80,
  /** Alarm when less than this share of the allocated storage is free (autoscaling storage also kicks in near 10%). */
  freeStorageShare: 0.1,
  replicaLagSeconds: 60,
  /** 5xx answers from the API targets per minute. */
  alb5xxPerMinute: 10,
  /** Seconds, worst per-minute average target response time. */
  albTargetResponseSeconds: 1,
} as const;
