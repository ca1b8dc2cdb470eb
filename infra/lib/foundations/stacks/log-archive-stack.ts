/**
 * Central logging (requirement ORG-3, management account): the organization CloudTrail into a WORM log-archive bucket, and
 * the separate buckets that cannot live under Object Lock (AWS Config delivery, S3 server access logs; ADR 0041).
 *
 * Stateful and termination-protected. Every policy here is evaluated by the scenario table in
 * test/foundations/policy-scenarios.test.ts.
 */
import type { PlatformConfig } from '@innovate/config';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';
import { keyAdministration } from '../key-administration.ts';
import { type LogArchiveNames, logArchiveNames } from '../log-archive-names.ts';

export interface LogArchiveStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
}

export class LogArchiveStack extends Stack {
  readonly names: LogArchiveNames;
  readonly trailKey: kms.Key;
  readonly configKey: kms.Key;
  readonly cloudTrailBucket: s3.Bucket;
  readonly configBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LogArchiveStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const { config, accounts } = props;
    const f = config.organization.foundations;
    const orgId = f.organizationId;
    const management = accounts.management.id;
    const names = logArchiveNames(config);
    this.names = names;
    const trailArnPattern = `arn:aws:cloudtrail:*:${management}:trail/*`;

    this.trailKey = new kms.Key(this, 'TrailKey', {
      alias: `alias/${config.organization.tags.app}-org-cloudtrail`,
      description: 'Encrypts the organization CloudTrail log files',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          keyAdministration(management),
          new iam.PolicyStatement({
            sid: 'CloudTrailEncryptsThisOrganizationsTrail',
            principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
            actions: ['kms:GenerateDataKey*'],
            resources: ['*'],
            conditions: {
              StringEquals: { 'aws:SourceArn': names.trailArn },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArnPattern },
            },
          }),
          new iam.PolicyStatement({
            sid: 'CloudTrailDescribesKey',
            principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
            actions: ['kms:DescribeKey'],
            resources: ['*'],
            conditions: { StringEquals: { 'aws:SourceArn': names.trailArn } },
          }),
          new iam.PolicyStatement({
            sid: 'SecurityAccountReadsTrailLogs',
            principals: [new iam.AccountPrincipal(accounts.security.id)],
            actions: ['kms:Decrypt'],
            resources: ['*'],
            conditions: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArnPattern } },
          }),
        ],
      }),
    });

    this.configKey = new kms.Key(this, 'ConfigKey', {
      alias: names.configKeyAlias,
      description: 'Encrypts AWS Config snapshots and history delivered by every account of the organization',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          keyAdministration(management),
          new iam.PolicyStatement({
            sid: 'ConfigOfThisOrganizationEncrypts',
            principals: [new iam.ServicePrincipal('config.amazonaws.com')],
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: ['*'],
            conditions: { StringEquals: { 'aws:SourceOrgID': orgId } },
          }),
          new iam.PolicyStatement({
            sid: 'SecurityAccountReadsConfigHistory',
            principals: [new iam.AccountPrincipal(accounts.security.id)],
            actions: ['kms:Decrypt'],
            resources: ['*'],
          }),
        ],
      }),
    });

    const lifecycleAux: s3.LifecycleRule = {
      id: 'expire',
      expiration: Duration.days(f.logArchive.auxiliaryExpireAfterDays),
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    };

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      bucketName: names.accessLogsBucket,
      // S3 server access logging can only deliver to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [lifecycleAux],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.configBucket = new s3.Bucket(this, 'ConfigBucket', {
      bucketName: names.configBucket,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.configKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${names.configBucket}/`,
      lifecycleRules: [lifecycleAux],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const configOrg = { StringEquals: { 'aws:SourceOrgID': orgId } };
    this.configBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigOfThisOrganizationChecksBucket',
        principals: [new iam.ServicePrincipal('config.amazonaws.com')],
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.configBucket.bucketArn],
        conditions: configOrg,
      }),
    );
    this.configBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ConfigOfThisOrganizationDelivers',
        principals: [new iam.ServicePrincipal('config.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.configBucket.arnForObjects('AWSLogs/*/Config/*')],
        conditions: { StringEquals: { ...configOrg.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );

    this.cloudTrailBucket = new s3.Bucket(this, 'CloudTrailBucket', {
      bucketName: names.cloudTrailBucket,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.trailKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudTrail still sends the bucket-owner-full-control ACL; BucketOwnerEnforced accepts it.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockDefaultRetention:
        f.logArchive.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(f.logArchive.objectLockRetentionDays))
          : s3.ObjectLockRetention.governance(Duration.days(f.logArchive.objectLockRetentionDays)),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${names.cloudTrailBucket}/`,
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
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const trailOnly = { 'aws:SourceArn': names.trailArn, 'aws:SourceOrgID': orgId };
    this.cloudTrailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailChecksBucketAcl',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:GetBucketAcl'],
        resources: [this.cloudTrailBucket.bucketArn],
        conditions: { StringEquals: trailOnly },
      }),
    );
    this.cloudTrailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWritesThisOrganizationsLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [
          this.cloudTrailBucket.arnForObjects(`AWSLogs/${management}/*`),
          this.cloudTrailBucket.arnForObjects(`AWSLogs/${orgId}/*`),
        ],
        conditions: { StringEquals: { ...trailOnly, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );
    this.cloudTrailBucket.addToResourcePolicy(
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
        resources: [this.cloudTrailBucket.bucketArn, this.cloudTrailBucket.arnForObjects('*')],
      }),
    );

    const trail = new CfnTrail(this, 'OrganizationTrail', {
      trailName: names.trailName,
      s3BucketName: this.cloudTrailBucket.bucketName,
      kmsKeyId: this.trailKey.keyArn,
      isLogging: true,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
    });
    // The trail checks its bucket and key at creation: their policies must exist first.
    trail.node.addDependency(this.cloudTrailBucket.policy ?? this.cloudTrailBucket);
    trail.node.addDependency(this.trailKey);
  }
}
