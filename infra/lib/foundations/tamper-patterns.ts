/**
 * Event patterns of tampering with the central logs: the organization trail (management account) and the archive's
 * keys and buckets (log-archive account). Each is an "AWS API Call via CloudTrail" event, which EventBridge receives
 * in the account and region of the call. Used by the forwarding rules and by the security account's routing rule.
 */
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import type { LogArchiveNames } from './log-archive-names.ts';

/** Calls that stop, remove or narrow the organization trail. */
export const TRAIL_TAMPER_EVENTS = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'];
/** Calls that make the archive unreadable or its protection weaker. */
export const KEY_TAMPER_EVENTS = ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'];
export const BUCKET_TAMPER_EVENTS = [
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketLifecycle',
  'PutBucketVersioning',
];

/** Any trail of the management account, not only the organization trail: no other trail should change there either. */
export function trailTamperPattern(managementAccount: string): EventPattern {
  return {
    source: ['aws.cloudtrail'],
    detailType: ['AWS API Call via CloudTrail'],
    account: [managementAccount],
    detail: { eventSource: ['cloudtrail.amazonaws.com'], eventName: TRAIL_TAMPER_EVENTS },
  };
}

export function archiveTamperPatterns(names: LogArchiveNames): {
  ArchiveKeyTampering: EventPattern;
  ArchiveBucketTampering: EventPattern;
} {
  return {
    ArchiveKeyTampering: {
      source: ['aws.kms'],
      detailType: ['AWS API Call via CloudTrail'],
      account: [names.archiveAccount],
      detail: { eventSource: ['kms.amazonaws.com'], eventName: KEY_TAMPER_EVENTS },
    },
    ArchiveBucketTampering: {
      source: ['aws.s3'],
      detailType: ['AWS API Call via CloudTrail'],
      account: [names.archiveAccount],
      detail: {
        eventSource: ['s3.amazonaws.com'],
        eventName: BUCKET_TAMPER_EVENTS,
        requestParameters: { bucketName: [names.cloudTrailBucket, names.configBucket, names.accessLogsBucket] },
      },
    },
  };
}
