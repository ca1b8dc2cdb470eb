/**
 * data: the database, its CMK, and its backups. Stateful: termination-protected, and its resources' logical ids are
 * pinned by tests (test/stacks/data-stack.test.ts) so a refactor can never replace the database.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { DatabaseAppUser } from '../constructs/database-app-user.ts';
import { DatabaseBackupPlan } from '../constructs/database-backup-plan.ts';
import { DatabaseOffHours } from '../constructs/database-off-hours.ts';
import { DatabaseRolesBootstrap } from '../constructs/database-roles-bootstrap.ts';
import { PostgresDatabase } from '../constructs/postgres-database.ts';
import { SUBNET_TIERS } from '../constructs/workload-vpc.ts';
import { backupCopiesVault } from '../foundations/backup-copies.ts';
import type { WorkloadStackProps } from '../workload-stack-props.ts';

export interface DataStackProps extends WorkloadStackProps {
  vpc: ec2.IVpc;
}

export class DataStack extends Stack {
  readonly key: kms.Key;
  readonly database: PostgresDatabase;
  readonly appUser: DatabaseAppUser;
  readonly migratorUser: DatabaseAppUser;
  readonly rolesBootstrap: DatabaseRolesBootstrap;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const env = props.environment;
    const { region, account, partition } = this;

    this.key = new kms.Key(this, 'DataKey', {
      description: `Innovate ${env.name}: RDS storage, master secret, Performance Insights, database logs`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsForDatabaseLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:/aws/rds/*`,
          },
        },
      }),
    );

    this.database = new PostgresDatabase(this, 'Postgres', {
      vpc: props.vpc,
      subnets: { subnetGroupName: SUBNET_TIERS.db },
      rotationSubnets: { subnetGroupName: SUBNET_TIERS.app },
      database: env.database,
      instanceIdentifier: env.names.databaseInstanceIdentifier,
      databaseName: env.names.databaseName,
      secretName: env.names.databaseSecretName,
      key: this.key,
      logRetentionDays: env.observability.logRetentionDays,
    });

    // The API's own login, rotated with alternating users so a rotation never invalidates what the pods hold.
    this.appUser = new DatabaseAppUser(this, 'AppUser', {
      instance: this.database.instance,
      username: env.names.databaseAppUsername,
      databaseName: env.names.databaseName,
      secretName: env.names.databaseAppSecretName,
      key: this.key,
      rotationSubnets: { subnetGroupName: SUBNET_TIERS.app },
      rotationSecurityGroup: this.database.rotationSecurityGroup,
    });

    // The migrations' login (a member of the owner role that owns the schema, ADR 0129), rotated the same way.
    this.migratorUser = new DatabaseAppUser(this, 'MigratorUser', {
      instance: this.database.instance,
      username: env.names.databaseMigratorUsername,
      databaseName: env.names.databaseName,
      secretName: env.names.databaseMigratorSecretName,
      key: this.key,
      rotationSubnets: { subnetGroupName: SUBNET_TIERS.app },
      rotationSecurityGroup: this.database.rotationSecurityGroup,
    });

    // The master is used by the rotations and by this bootstrap alone, all Lambdas in AWS (ADR 0158): it creates the
    // owner role and both logins before their rotations are scheduled and before anything migrates.
    const master = this.database.instance.secret;
    if (master === undefined) throw new Error('DataStack: the instance has no attached master secret');
    this.rolesBootstrap = new DatabaseRolesBootstrap(this, 'RolesBootstrap', {
      instance: this.database.instance,
      databaseName: env.names.databaseName,
      masterSecret: master,
      migratorSecret: this.migratorUser.attachedSecret,
      appSecret: this.appUser.attachedSecret,
      key: this.key,
      functionName: `${env.names.prefix}-database-roles-bootstrap`,
      vpc: props.vpc,
      subnets: { subnetGroupName: SUBNET_TIERS.app },
      securityGroup: this.database.rotationSecurityGroup,
      logRetentionDays: env.observability.logRetentionDays,
    });
    this.appUser.rotateAfter(this.rolesBootstrap.resource);
    this.migratorUser.rotateAfter(this.rolesBootstrap.resource);

    if (env.costPolicy.offHours.enabled) {
      new DatabaseOffHours(this, 'OffHours', {
        instance: this.database.instance,
        instanceIdentifier: env.names.databaseInstanceIdentifier,
        offHours: env.costPolicy.offHours,
      });
    }

    const copy = env.database.crossRegionCopy;
    const accountCopy = env.database.backupAccountCopy;
    const copies = backupCopiesVault(props);
    if (accountCopy.enabled) {
      // RDS snapshots keep the database's key: the backup account copies them only if it may use that key, and only
      // through RDS and AWS Backup.
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'BackupAccountCopiesRecoveryPoints',
          principals: [new iam.AccountPrincipal(copies.account)],
          actions: ['kms:DescribeKey', 'kms:Decrypt', 'kms:CreateGrant'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'kms:ViaService': [`rds.${region}.amazonaws.com`, `backup.${region}.amazonaws.com`] },
          },
        }),
      );
    }
    new DatabaseBackupPlan(this, 'Backup', {
      database: this.database.instance,
      vaultName: env.names.backupVaultName,
      retentionDays: copy.retentionDays,
      ...(copy.enabled ? { drCopy: { region: env.drRegion, vaultName: env.names.drBackupVaultName } } : {}),
      ...(accountCopy.enabled
        ? { accountCopy: { vaultArn: copies.vaultArn, retentionDays: accountCopy.retentionDays } }
        : {}),
    });
  }
}
