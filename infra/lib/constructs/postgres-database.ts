/**
 * The environment's PostgreSQL on RDS (requirement DB-1). Major version 18, the same as the local system's embedded
 * PostgreSQL 18 (`local/`), pinned to the newest 18.x minor `aws-cdk-lib` knows (18.3); minor upgrades are automatic.
 *
 * Everything that differs between environments (class, Multi-AZ, storage, PITR window, replica, proxy) comes from
 * config. The database security group admits nobody by itself: the cluster stack adds the one rule that lets the
 * cluster's nodes and pods in, so this stateful stack never depends on the replaceable cluster.
 *
 * With `database.restore` set, the instance is created from a point in time or a snapshot instead of empty (ADR 0105):
 * the same construct and logical id, a new identifier, everything else as above. CloudFormation then replaces the
 * old instance, moves what refers to it (the master secret's host, rotations, backups, proxy) to the new one, and
 * retains the old one.
 */
import type { DatabaseRestore, ResolvedEnvironment } from '@innovate/config';
import { CfnDeletionPolicy, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { CONDITIONAL_ACKNOWLEDGEMENTS } from '../nag/acknowledgements.ts';
import { POSTGRES_PORT } from './database-subnet-acl.ts';

/** The engine version; its major must equal `database.engineMajorVersion` (a test checks both against local/). */
export const POSTGRES_ENGINE_VERSION = rds.PostgresEngineVersion.VER_18_3;

/** The log types RDS PostgreSQL exports to CloudWatch Logs. */
export const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'] as const;

export interface PostgresDatabaseProps {
  vpc: ec2.IVpc;
  /** The private-db subnets. */
  subnets: ec2.SubnetSelection;
  /** The subnets the secret-rotation function runs in (private-app: it needs the Secrets Manager endpoint). */
  rotationSubnets: ec2.SubnetSelection;
  /** The environment's database block (class, Multi-AZ, storage, retention, flags). */
  database: ResolvedEnvironment['database'];
  /**
   * Instance identifier (config `names.databaseInstanceIdentifier`, which changes with `database.restore`); also
   * names the log groups RDS writes to.
   */
  instanceIdentifier: string;
  /**
   * The application database RDS creates with the instance (config `names.databaseName`); the API's connection
   * string names it. Changing it on an existing instance replaces the instance in CloudFormation.
   */
  databaseName: string;
  /** Secrets Manager name of the master credentials (config `names.databaseSecretName`). */
  secretName: string;
  /** CMK for storage, the secret, Performance Insights and the log groups. */
  key: kms.IKey;
  /** Retention of the exported PostgreSQL logs. */
  logRetentionDays: number;
}

export class PostgresDatabase extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly securityGroup: ec2.SecurityGroup;
  /** The group every secret-rotation function of this database runs in (no all-egress rule). */
  readonly rotationSecurityGroup: ec2.SecurityGroup;
  readonly secret: rds.DatabaseSecret;
  readonly replica?: rds.DatabaseInstanceReadReplica;
  readonly proxy?: rds.DatabaseProxy;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const { database, key } = props;
    const engine = rds.DatabaseInstanceEngine.postgres({ version: POSTGRES_ENGINE_VERSION });
    const instanceType = new ec2.InstanceType(database.instanceClass.replace(/^db\./, ''));

    // The master credentials, created explicitly so they can outlive a stack deletion like the snapshot does.
    this.secret = new rds.DatabaseSecret(this, 'MasterSecret', {
      username: 'postgres',
      secretName: props.secretName,
      encryptionKey: key,
    });
    this.secret.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `PostgreSQL ${props.instanceIdentifier}: 5432 only from the EKS cluster (rule in the cluster stack)`,
      allowAllOutbound: false,
    });

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `${props.instanceIdentifier}: TLS required, slow statements logged`,
      parameters: {
        'rds.force_ssl': '1',
        log_min_duration_statement: '500',
        shared_preload_libraries: 'pg_stat_statements',
      },
    });

    // RDS writes to /aws/rds/instance/<id>/<type>; creating the groups first gives them retention and the CMK
    // without the LogRetention custom-resource Lambda CDK would otherwise add.
    const logGroups = POSTGRES_LOG_EXPORTS.map(
      (type) =>
        new logs.LogGroup(this, `Logs-${type}`, {
          logGroupName: `/aws/rds/instance/${props.instanceIdentifier}/${type}`,
          retention: props.logRetentionDays as logs.RetentionDays,
          encryptionKey: key,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceType,
      instanceIdentifier: props.instanceIdentifier,
      databaseName: props.databaseName,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      port: POSTGRES_PORT,
      multiAz: database.multiAz,
      storageType: rds.StorageType.GP3,
      allocatedStorage: database.allocatedStorageGiB,
      maxAllocatedStorage: database.maxAllocatedStorageGiB,
      storageEncrypted: true,
      storageEncryptionKey: key,
      credentials: rds.Credentials.fromSecret(this.secret),
      iamAuthentication: true,
      parameterGroup,
      backupRetention: Duration.days(database.backupRetentionDays),
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:04:30-sun:05:30',
      deleteAutomatedBackups: false,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      publiclyAccessible: false,
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      enablePerformanceInsights: true,
      performanceInsightRetention: database.performanceInsightsRetentionDays as rds.PerformanceInsightRetention,
      performanceInsightEncryptionKey: key,
      monitoringInterval: Duration.seconds(60),
      cloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
    });
    // Only the DB instance resource waits for its log groups (not its children, e.g. the proxy role, which the
    // key policy already refers to: a subtree-wide dependency would be circular).
    const cfnInstance = this.instance.node.defaultChild as rds.CfnDBInstance;
    for (const group of logGroups) cfnInstance.addResourceDependency(group.node.defaultChild as logs.CfnLogGroup);
    if (database.restore) restoreFrom(cfnInstance, database.restore);
    if (database.restore?.pointInTime) {
      const { id: nagId, checkovId, reason } = CONDITIONAL_ACKNOWLEDGEMENTS.pointInTimeRestoreEncryption;
      Validations.of(this.instance).acknowledge({ id: nagId, reason });
      cfnInstance.addMetadata('checkov', { skip: [{ id: checkovId, comment: reason }] });
    }

    // Both rotation functions (this one and the application user's) reach only the Secrets Manager endpoint (HTTPS
    // inside the VPC) and this database (5432: CDK adds that egress and the matching ingress when the rotation is
    // wired to the instance). CDK's default group for them allows all egress.
    this.rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc: props.vpc,
      description: `Secret rotation for ${props.instanceIdentifier}: HTTPS to the VPC endpoints, 5432 to the database`,
      allowAllOutbound: false,
    });
    this.rotationSecurityGroup.addEgressRule(
      ec2.Peer.ipv4(props.vpc.vpcCidrBlock),
      ec2.Port.tcp(443),
      'Secrets Manager interface endpoint',
    );
    this.instance.addRotationSingleUser({
      automaticallyAfter: Duration.days(30),
      vpcSubnets: props.rotationSubnets,
      securityGroup: this.rotationSecurityGroup,
    });

    if (database.readReplica) {
      this.replica = new rds.DatabaseInstanceReadReplica(this, 'Replica', {
        sourceDatabaseInstance: this.instance,
        instanceType,
        instanceIdentifier: `${props.instanceIdentifier}-replica`,
        vpc: props.vpc,
        vpcSubnets: props.subnets,
        securityGroups: [this.securityGroup],
        // A same-region replica inherits the source's encryption and key; CloudFormation rejects setting them.
        deletionProtection: true,
        removalPolicy: RemovalPolicy.SNAPSHOT,
        autoMinorVersionUpgrade: true,
        publiclyAccessible: false,
        caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
        enablePerformanceInsights: true,
        performanceInsightRetention: database.performanceInsightsRetentionDays as rds.PerformanceInsightRetention,
        performanceInsightEncryptionKey: key,
        monitoringInterval: Duration.seconds(60),
      });
    }

    if (database.rdsProxy) {
      this.proxy = this.instance.addProxy('Proxy', {
        vpc: props.vpc,
        vpcSubnets: props.subnets,
        securityGroups: [this.securityGroup],
        secrets: [this.instance.secret ?? this.secret],
        requireTLS: true,
        iamAuth: true,
      });
    }
  }
}

/**
 * Turns the instance into a restore of `restore`, on the L1 resource: the same `DatabaseInstance` (so the secret
 * attachment, rotations, proxy and backups keep referring to it) without what a restore must not set. CDK's
 * `DatabaseInstanceFromSnapshot` leaves out the same properties, but has no point-in-time form and is another type.
 *
 * The user name, the database and the KMS key come from the backup. From a snapshot the master password is still set
 * from the master secret, so the secret, its rotation and the API keep working even if it was rotated after the
 * snapshot; CloudFormation refuses a password (and StorageEncrypted) beside SourceDBInstanceIdentifier, so a point
 * in time keeps the source's password of that moment (the runbook checks the secret against it).
 *
 * Replacing the old instance retains it (UpdateReplacePolicy): it holds every write after the restore point and is
 * retired by hand (docs/runbooks/point-in-time-restore.md).
 */
function restoreFrom(cfn: rds.CfnDBInstance, restore: DatabaseRestore): void {
  cfn.masterUsername = undefined;
  cfn.dbName = undefined;
  cfn.kmsKeyId = undefined;
  if (restore.pointInTime) {
    cfn.masterUserPassword = undefined;
    cfn.storageEncrypted = undefined;
    cfn.sourceDbInstanceIdentifier = restore.pointInTime.sourceInstanceIdentifier;
    cfn.restoreTime = restore.pointInTime.restoreTime;
    cfn.useLatestRestorableTime = restore.pointInTime.useLatestRestorableTime;
  } else if (restore.snapshot) {
    cfn.dbSnapshotIdentifier = restore.snapshot.snapshotArn;
  }
  cfn.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
}
