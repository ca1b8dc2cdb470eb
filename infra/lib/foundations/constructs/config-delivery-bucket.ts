/**
 * Where AWS Config of every account of the organization delivers snapshots and history: SSE-KMS by default with the
 * Config key (the delivery channels name no key: the bucket's default encryption applies it, so member accounts
 * need no key ARN from another account), writable only by Config of this organization.
 */
import type { PlatformConfig } from '@innovate/config';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { LogArchiveNames } from '../log-archive-names.ts';
import { archiveBucketProps } from './archive-bucket-props.ts';

export interface ConfigDeliveryBucketProps {
  config: PlatformConfig;
  names: LogArchiveNames;
  key: kms.IKey;
  accessLogsBucket: s3.IBucket;
  lifecycle: s3.LifecycleRule;
}

export class ConfigDeliveryBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ConfigDeliveryBucketProps) {
    super(scope, id);
    const { names } = props;
    this.bucket = new s3.Bucket(this, 'Resource', {
      ...archiveBucketProps({
        bucketName: names.configBucket,
        key: props.key,
        accessLogsBucket: props.accessLogsBucket,
      }),
      lifecycleRules: [props.lifecycle],
    });
    const configOrg = { 'aws:SourceOrgID': props.config.organization.foundations.organizationId };
    const configService = new iam.ServicePrincipal('config.amazonaws.com');
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigOfThisOrganizationChecksBucket',
        principals: [configService],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: configOrg },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigOfThisOrganizationDelivers',
        principals: [configService],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('AWSLogs/*/Config/*')],
        conditions: { StringEquals: { ...configOrg, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
  }
}

/** Expiry of the buckets that cannot be Object-Locked (Config delivery, access logs; ADR 0041). */
export function auxiliaryLifecycle(config: PlatformConfig): s3.LifecycleRule {
  return {
    id: 'expire',
    expiration: Duration.days(config.organization.foundations.logArchive.auxiliaryExpireAfterDays),
    noncurrentVersionExpiration: Duration.days(30),
    abortIncompleteMultipartUploadAfter: Duration.days(7),
  };
}
