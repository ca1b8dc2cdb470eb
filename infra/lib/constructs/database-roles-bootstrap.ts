/**
 * The database roles' bootstrap (ADR 0158): a custom resource whose Lambda logs in as the master user and makes the
 * owner role, the migrator and application logins and `data_reader` exist, with the same Python code as
 * `innovate-api bootstrap-roles` (api/src/innovate_api/bootstrap_handler.py). The master's credentials thus stay in
 * Secrets Manager and AWS: no Kubernetes object refers to them.
 *
 * It runs on create and whenever a property changes: the secrets, the instance's endpoint (a restore is a new
 * instance), and the hash of the Lambda's code, so a changed bootstrap runs again on the next deploy. Delete does
 * nothing: the roles own the schema and hold its grants, and the database is retained and snapshotted on removal.
 *
 * The function runs in the rotation functions' subnets and security group: it reaches the Secrets Manager endpoint
 * and the database and nothing else, with no internet. CDK's provider framework, which answers CloudFormation's
 * pre-signed S3 URL, runs outside the VPC; it may only invoke this function.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CustomResource, Duration, FileSystem, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { INFRA_DIR } from '../app-context.ts';

/** Built by `make lambda-assets` (api/tools/bootstrap_asset.py): the handler's API modules and arm64 wheels. */
export const BOOTSTRAP_ASSET_DIR = join(INFRA_DIR, '.assets', 'database-roles-bootstrap');
/** The API's Python minor version (api/Dockerfile); the asset's wheels are built for it. */
export const BOOTSTRAP_RUNTIME = lambda.Runtime.PYTHON_3_11;
const HANDLER_MODULE = join('innovate_api', 'bootstrap_handler.py');

export interface DatabaseRolesBootstrapProps {
  /** The instance whose roles are bootstrapped: its endpoint is where the function connects. */
  instance: rds.DatabaseInstance;
  /** The application database (config `names.databaseName`), where the owner role gets the schema. */
  databaseName: string;
  /** The master user's secret as attached to the instance: the function logs in with it. */
  masterSecret: secretsmanager.ISecret;
  /** The migrator login's secret: its user is created with this password if missing. */
  migratorSecret: secretsmanager.ISecret;
  /** The application user's secret: likewise. */
  appSecret: secretsmanager.ISecret;
  /** The data stack's CMK: it encrypts the three secrets and this function's log groups. */
  key: kms.Key;
  /** Names the function (`<name>`) and the provider framework's (`<name>-provider`), and their log groups. */
  functionName: string;
  /** The rotation functions' subnets (private-app: the Secrets Manager endpoint is there). */
  subnets: ec2.SubnetSelection;
  /** The rotation functions' security group: HTTPS to the VPC endpoints and 5432 to the database, nothing else. */
  securityGroup: ec2.ISecurityGroup;
  vpc: ec2.IVpc;
  /** Retention of both log groups (config `observability.logRetentionDays`). */
  logRetentionDays: number;
  /** Where the built asset is; tests pass a stand-in. Default: BOOTSTRAP_ASSET_DIR. */
  assetDir?: string;
}

export class DatabaseRolesBootstrap extends Construct {
  readonly function: lambda.Function;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DatabaseRolesBootstrapProps) {
    super(scope, id);
    const assetDir = props.assetDir ?? BOOTSTRAP_ASSET_DIR;
    if (!existsSync(join(assetDir, HANDLER_MODULE))) {
      throw new Error(
        `DatabaseRolesBootstrap: no Lambda code in ${relative(process.cwd(), assetDir) || assetDir}: run \`make lambda-assets\``,
      );
    }
    const { region, account, partition } = Stack.of(this);

    // Both log groups under the data key: the key admits CloudWatch Logs for these names only.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsForDatabaseRolesBootstrap',
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${props.functionName}*`,
          },
        },
      }),
    );
    const logGroup = (logId: string, name: string) =>
      new logs.LogGroup(this, logId, {
        logGroupName: `/aws/lambda/${name}`,
        retention: props.logRetentionDays as logs.RetentionDays,
        encryptionKey: props.key,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionName}: read the database's three login secrets, ENIs in the VPC, its own logs`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')],
    });
    // Exactly the three secrets, and their key only through Secrets Manager.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheLoginSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.masterSecret.secretArn, props.migratorSecret.secretArn, props.appSecret.secretArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptThemThroughSecretsManager',
        actions: ['kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: 'Creates the database roles as the master user (innovate-api bootstrap-roles), on deploy',
      runtime: BOOTSTRAP_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: 'innovate_api.bootstrap_handler.handler',
      code: lambda.Code.fromAsset(assetDir),
      role,
      memorySize: 256,
      timeout: Duration.minutes(2),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.securityGroup],
      logGroup: logGroup('Logs', props.functionName),
      // Only CloudFormation invokes it, once per deploy at most: one at a time is all it needs.
      reservedConcurrentExecutions: 1,
    });

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      providerFunctionName: `${props.functionName}-provider`,
      logGroup: logGroup('ProviderLogs', `${props.functionName}-provider`),
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::DatabaseRolesBootstrap',
      properties: {
        MasterSecretArn: props.masterSecret.secretArn,
        MigratorSecretArn: props.migratorSecret.secretArn,
        AppSecretArn: props.appSecret.secretArn,
        Host: props.instance.dbInstanceEndpointAddress,
        Port: props.instance.dbInstanceEndpointPort,
        DatabaseName: props.databaseName,
        // A changed bootstrap (code or wheels) changes this, so the next deploy runs it again.
        CodeHash: FileSystem.fingerprint(assetDir),
      },
    });
    // The rules that let the rotation group reach PostgreSQL are resources of their own (the rotations add them):
    // the bootstrap connects only once they exist.
    this.resource.node.addDependency(props.securityGroup, ...props.instance.connections.securityGroups);
  }
}
