/**
 * Central logging storage (requirement ORG-3), in the log-archive account: the organization trail's WORM bucket and key, the
 * separate buckets that cannot live under Object Lock (AWS Config delivery, S3 server access logs; ADR 0041), the
 * rules that report tampering with them to the security account, and the organization's Vault-Locked backup copies
 * vault (requirement DB-3, ADR 0047). A member account: the SCPs apply here, unlike
 * in the management account, which keeps only the trail itself (organization-trail-stack.ts; ADR 0048).
 *
 * Stateful and termination-protected. Every policy here is evaluated by the scenario table in
 * test/foundations/policy-scenarios.test.ts.
 */
import type { PlatformConfig } from '@innovate/config';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';
import { auxiliaryLifecycle, ConfigDeliveryBucket } from '../constructs/config-delivery-bucket.ts';
import { FoundationsKey } from '../constructs/foundations-key.ts';
import { OrganizationBackupVault } from '../constructs/organization-backup-vault.ts';
import { SecurityBusForwarder, securityBusArn } from '../constructs/security-bus-forwarder.ts';
import { TrailArchiveBucket } from '../constructs/trail-archive-bucket.ts';
import { type LogArchiveNames, logArchiveNames } from '../log-archive-names.ts';
import { archiveTamperPatterns } from '../tamper-patterns.ts';

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
  readonly backupCopies: OrganizationBackupVault;

  constructor(scope: Construct, id: string, props: LogArchiveStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const { config, accounts } = props;
    const f = config.organization.foundations;
    const names = logArchiveNames(config);
    this.names = names;
    const archive = accounts.logArchive.id;
    const protectFromDeletion = { breakGlassRoleName: f.protectedRoles.breakGlassRoleName };
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const trailArnPattern = `arn:aws:cloudtrail:*:${accounts.management.id}:trail/*`;

    this.trailKey = new FoundationsKey(this, 'TrailKey', {
      alias: names.trailKeyAlias,
      description: 'Encrypts the organization CloudTrail log files',
      administeringAccount: archive,
      protectFromDeletion,
      uses: [
        new iam.PolicyStatement({
          sid: 'CloudTrailEncryptsThisOrganizationsTrail',
          principals: [cloudTrail],
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceArn': names.trailArn },
            StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArnPattern },
          },
        }),
        new iam.PolicyStatement({
          sid: 'CloudTrailDescribesKey',
          principals: [cloudTrail],
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
    }).key;

    this.configKey = new FoundationsKey(this, 'ConfigKey', {
      alias: names.configKeyAlias,
      description: 'Encrypts AWS Config snapshots and history delivered by every account of the organization',
      administeringAccount: archive,
      protectFromDeletion,
      uses: [
        new iam.PolicyStatement({
          sid: 'ConfigOfThisOrganizationEncrypts',
          principals: [new iam.ServicePrincipal('config.amazonaws.com')],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceOrgID': f.organizationId } },
        }),
        new iam.PolicyStatement({
          sid: 'SecurityAccountReadsConfigHistory',
          principals: [new iam.AccountPrincipal(accounts.security.id)],
          actions: ['kms:Decrypt'],
          resources: ['*'],
        }),
      ],
    }).key;

    const lifecycle = auxiliaryLifecycle(config);
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      bucketName: names.accessLogsBucket,
      // S3 server access logging delivers only to SSE-S3 buckets: the one bucket here that stays on SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [lifecycle],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.configBucket = new ConfigDeliveryBucket(this, 'ConfigBucket', {
      config,
      names,
      key: this.configKey,
      accessLogsBucket: this.accessLogsBucket,
      lifecycle,
    }).bucket;
    this.cloudTrailBucket = new TrailArchiveBucket(this, 'CloudTrailBucket', {
      config,
      names,
      managementAccount: accounts.management.id,
      key: this.trailKey,
      accessLogsBucket: this.accessLogsBucket,
    }).bucket;

    this.backupCopies = new OrganizationBackupVault(this, 'BackupCopies', { config, account: archive });

    const patterns = archiveTamperPatterns(names);
    new SecurityBusForwarder(this, 'TamperAlerts', {
      securityBusArn: securityBusArn(this.region, accounts.security.id),
      rules: {
        ArchiveKeyTampering: {
          description: 'Disabling, scheduling deletion of or re-policying a log-archive key',
          pattern: patterns.ArchiveKeyTampering,
        },
        ArchiveBucketTampering: {
          description: 'Policy, lifecycle or versioning changes on a log-archive bucket',
          pattern: patterns.ArchiveBucketTampering,
        },
      },
    });
  }
}
