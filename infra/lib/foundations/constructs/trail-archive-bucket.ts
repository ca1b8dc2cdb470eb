/**
 * The organization trail's WORM archive: an Object-Locked, SSE-KMS bucket that only the organization trail (by ARN,
 * from the management account) may write to, and from which nobody deletes or unlocks log objects.
 */
import type { PlatformConfig } from '@innovate/config';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { LogArchiveNames } from '../log-archive-names.ts';
import { archiveBucketProps } from './archive-bucket-props.ts';

export interface TrailArchiveBucketProps {
  config: PlatformConfig;
  names: LogArchiveNames;
  /** The management account: the only account whose trail writes here. */
  managementAccount: string;
  key: kms.IKey;
  accessLogsBucket: s3.IBucket;
}

export class TrailArchiveBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: TrailArchiveBucketProps) {
    super(scope, id);
    const { names } = props;
    const f = props.config.organization.foundations;
    const orgId = f.organizationId;
    const retention = Duration.days(f.logArchive.objectLockRetentionDays);
    this.bucket = new s3.Bucket(this, 'Resource', {
      ...archiveBucketProps({
        bucketName: names.cloudTrailBucket,
        key: props.key,
        accessLogsBucket: props.accessLogsBucket,
      }),
      objectLockDefaultRetention:
        f.logArchive.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      lifecycleRules: [
        {
          id: 'archive-then-expire',
          transitions: [
            {
              storageClass: s3.StorageClass.GLACIER,
              transitionAfter: Duration.days(f.logArchive.transitionToGlacierDays),
            },
          ],
          expiration: Duration.days(f.logArchive.expireAfterDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    // The trail lives in the management account; aws:SourceArn names it there (CloudTrail's documented form for
    // an organization trail writing to a bucket of another account).
    const trailOnly = { 'aws:SourceArn': names.trailArn, 'aws:SourceOrgID': orgId };
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailChecksBucketAcl',
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: trailOnly },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWritesThisOrganizationsLogs',
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [
          this.bucket.arnForObjects(`AWSLogs/${props.managementAccount}/*`),
          this.bucket.arnForObjects(`AWSLogs/${orgId}/*`),
        ],
        conditions: { StringEquals: { ...trailOnly, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        // Object Lock already refuses these during retention; the explicit deny also covers retention changes
        // and makes the intent visible to anyone reading the policy.
        sid: 'NobodyDeletesOrUnlocksLogs',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:BypassGovernanceRetention',
          's3:PutObjectRetention',
          's3:PutObjectLegalHold',
          's3:PutBucketObjectLockConfiguration',
        ],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      }),
    );
  }
}
