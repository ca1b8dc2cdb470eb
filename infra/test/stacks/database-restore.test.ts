/**
 * The restore switch (`database.restore`, ADR 0105): with no block nothing about the database changes; with one, the
 * same logical id becomes an instance restored from a point in time or a snapshot, under a new identifier, with the
 * environment's settings kept and the old instance retained on replacement.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseInstanceIdentifier, loadPlatformConfig, type ResolvedEnvironment } from '@innovate/config';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, testApp } from '../../lib/app-context.ts';
import { addNagChecks } from '../../lib/nag/nag-checks.ts';
import { addWorkloadStacks } from '../../lib/workload-app.ts';
import { ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { only, type Resource, resources } from '../helpers/template-queries.ts';

const CONFIG_DIR = join(INFRA_DIR, '..', 'config');
const INSTANCE_ID = 'PostgresInstanceEC667DB9';
const RESTORE_PROPERTIES = [
  'DBSnapshotIdentifier',
  'SourceDBInstanceIdentifier',
  'RestoreTime',
  'UseLatestRestorableTime',
];
const SNAPSHOT_ARN = 'arn:aws:rds:us-east-1:100000000013:snapshot:awsbackup:job-0c1f2e3d-4b5a-6978-8a9b-0c1d2e3f4a5b';

/** prod as the committed config says, plus a `database.restore` block written into its YAML (flow style). */
function prodWithRestore(restoreYaml: string): ResolvedEnvironment {
  const dir = mkdtempSync(join(tmpdir(), 'innovate-restore-'));
  cpSync(join(CONFIG_DIR, 'organization.yaml'), join(dir, 'organization.yaml'));
  cpSync(join(CONFIG_DIR, 'environments'), join(dir, 'environments'), { recursive: true });
  const file = join(dir, 'environments', 'prod.yaml');
  const text = readFileSync(file, 'utf8');
  const anchor = '  crossRegionCopy: { enabled: true, retentionDays: 14 }\n';
  if (!text.includes(anchor)) throw new Error('prod.yaml changed: update the anchor of this test');
  writeFileSync(file, text.replace(anchor, `${anchor}  restore: ${restoreYaml}\n`));
  return loadPlatformConfig(dir).environment('prod');
}

function synthesized(env: ResolvedEnvironment) {
  const stacks = addWorkloadStacks(testApp(), loadPlatformConfig().organization, env);
  const data = Template.fromStack(stacks.data);
  const instances = resources(data, 'AWS::RDS::DBInstance');
  expect(instances).toHaveLength(1);
  const [logicalId, instance] = instances[0] as [string, Resource & { UpdateReplacePolicy?: string }];
  return { data, observability: Template.fromStack(stacks.observability), logicalId, instance };
}

describe('restore switch: absent in the committed config, and then nothing changes', () => {
  it.each(ENVIRONMENTS)('%s: an empty instance under the fixed identifier, replaced only with a snapshot', (name) => {
    expect(environment(name).database.restore).toBeUndefined();
    const resource = templateOf(name, 'data').toJSON().Resources[INSTANCE_ID];
    expect(resource.Properties.DBInstanceIdentifier).toBe(`innovate-${name}-postgres`);
    for (const property of RESTORE_PROPERTIES) expect(resource.Properties[property], property).toBeUndefined();
    expect(resource.Properties).toMatchObject({ DBName: 'innovate', StorageEncrypted: true });
    expect(JSON.stringify(resource.Properties.MasterUsername)).toContain(':SecretString:username::}}');
    expect(resource.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] });
    expect(resource.UpdateReplacePolicy).toBe('Snapshot');
  });
});

describe('restore switch: point in time', () => {
  const env = prodWithRestore(
    '{ pointInTime: { sourceInstanceIdentifier: innovate-prod-postgres, restoreTime: "2026-12-03T10:14:00Z" } }',
  );
  const { data, observability, logicalId, instance } = synthesized(env);
  const props = instance.Properties;

  it('is the same logical id under a new identifier derived from the block', () => {
    expect(logicalId).toBe(INSTANCE_ID);
    expect(env.names.databaseInstanceIdentifier).toMatch(/^innovate-prod-postgres-r[0-9a-f]{8}$/);
    expect(props.DBInstanceIdentifier).toBe(env.names.databaseInstanceIdentifier);
  });

  it('restores from the source instance at the given time, and only that', () => {
    expect(props.SourceDBInstanceIdentifier).toBe('innovate-prod-postgres');
    expect(props.RestoreTime).toBe('2026-12-03T10:14:00Z');
    expect(props.UseLatestRestorableTime).toBeUndefined();
    expect(props.DBSnapshotIdentifier).toBeUndefined();
    // The data, its master user, database and key come from the source; CloudFormation refuses them beside it.
    for (const property of ['MasterUsername', 'MasterUserPassword', 'DBName', 'KmsKeyId', 'StorageEncrypted']) {
      expect(props[property], property).toBeUndefined();
    }
  });

  it("keeps the environment's settings: class, Multi-AZ, retention, parameter group, network, protection", () => {
    const db = env.database;
    expect(props).toMatchObject({
      DBInstanceClass: db.instanceClass,
      MultiAZ: true,
      BackupRetentionPeriod: db.backupRetentionDays,
      AllocatedStorage: String(db.allocatedStorageGiB),
      MaxAllocatedStorage: db.maxAllocatedStorageGiB,
      DeletionProtection: true,
      DeleteAutomatedBackups: false,
      PubliclyAccessible: false,
      EnableIAMDatabaseAuthentication: true,
      CACertificateIdentifier: 'rds-ca-rsa2048-g1',
      Port: '5432',
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
    });
    expect(props.DBParameterGroupName).toEqual({ Ref: expect.stringMatching(/^PostgresParameters/) });
    expect(props.VPCSecurityGroups).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^PostgresSecurityGroup/), 'GroupId'] },
    ]);
    expect(props.PerformanceInsightsKMSKeyId).toEqual({ 'Fn::GetAtt': ['DataKey17AFBB84', 'Arn'] });
  });

  it('retains the replaced instance and snapshots this one on deletion', () => {
    expect(instance.UpdateReplacePolicy).toBe('Retain');
    expect(instance.DeletionPolicy).toBe('Snapshot');
  });

  it("skips checkov's encryption check with the reason (the template cannot say what the source gives it)", () => {
    const metadata = (instance as { Metadata?: { checkov?: { skip: { id: string; comment: string }[] } } }).Metadata;
    expect(metadata?.checkov?.skip).toEqual([
      { id: 'CKV_AWS_16', comment: expect.stringMatching(/inherits the encryption/) },
    ]);
  });

  it('moves the master secret, its rotation, the backups, the log groups and the alarms to the new instance', () => {
    // Every secret attached to the instance (host and port written into it) follows it, and so do their rotations.
    const attachments = resources(data, 'AWS::SecretsManager::SecretTargetAttachment');
    expect(attachments.length).toBeGreaterThan(0);
    for (const [, attachment] of attachments) expect(attachment.Properties.TargetId).toEqual({ Ref: INSTANCE_ID });
    expect(resources(data, 'AWS::SecretsManager::RotationSchedule')).toHaveLength(attachments.length);
    expect(JSON.stringify(only(data, 'AWS::Backup::BackupSelection').Properties)).toContain(INSTANCE_ID);
    const id = env.names.databaseInstanceIdentifier;
    for (const type of ['postgresql', 'upgrade']) {
      data.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/rds/instance/${id}/${type}` });
    }
    observability.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'DBInstanceIdentifier', Value: id }],
    });
  });
});

describe('restore switch: latest restorable time', () => {
  it('sets UseLatestRestorableTime and no RestoreTime', () => {
    const env = prodWithRestore(
      '{ pointInTime: { sourceInstanceIdentifier: innovate-prod-postgres, useLatestRestorableTime: true } }',
    );
    const { props } = { props: synthesized(env).instance.Properties };
    expect(props.UseLatestRestorableTime).toBe(true);
    expect(props.RestoreTime).toBeUndefined();
    expect(props.SourceDBInstanceIdentifier).toBe('innovate-prod-postgres');
  });
});

describe('restore switch: snapshot or AWS Backup recovery point', () => {
  const env = prodWithRestore(`{ snapshot: { snapshotArn: "${SNAPSHOT_ARN}" } }`);
  const { logicalId, instance } = synthesized(env);
  const props = instance.Properties;

  it('restores from the ARN into the same logical id under a new identifier', () => {
    expect(logicalId).toBe(INSTANCE_ID);
    expect(props.DBSnapshotIdentifier).toBe(SNAPSHOT_ARN);
    expect(props.DBInstanceIdentifier).toBe(env.names.databaseInstanceIdentifier);
    for (const property of ['SourceDBInstanceIdentifier', 'RestoreTime', 'UseLatestRestorableTime']) {
      expect(props[property], property).toBeUndefined();
    }
    expect(instance.UpdateReplacePolicy).toBe('Retain');
    expect(props).toMatchObject({ MultiAZ: true, DeletionProtection: true, StorageEncrypted: true });
    expect((instance as { Metadata?: unknown }).Metadata).toBeUndefined();
  });

  it("sets the master password from the master secret (the snapshot's may be older), no user name, no key", () => {
    expect(JSON.stringify(props.MasterUserPassword)).toMatch(
      /\{\{resolve:secretsmanager:.*PostgresMasterSecret.*:SecretString:password::\}\}/,
    );
    for (const property of ['MasterUsername', 'DBName', 'KmsKeyId']) expect(props[property], property).toBeUndefined();
  });
});

describe('restore switch: cdk-nag passes with each form (as `make synth` would run it)', () => {
  it.each([
    [
      'point in time',
      '{ pointInTime: { sourceInstanceIdentifier: innovate-prod-postgres, useLatestRestorableTime: true } }',
    ],
    ['snapshot', `{ snapshot: { snapshotArn: "${SNAPSHOT_ARN}" } }`],
  ])('%s', (_label, restore) => {
    const app = testApp();
    addWorkloadStacks(app, loadPlatformConfig().organization, prodWithRestore(restore));
    // Not strict: this app is prod alone, so acknowledgements of constructs only dev and staging have (their NAT
    // instance) match nothing here; `make synth` checks them strictly over every environment.
    addNagChecks(app, { strict: false });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('restore switch: one identifier per distinct restore', () => {
  it('differs from the fixed one and between restores; key order does not matter', () => {
    const at = (time: string) => ({
      pointInTime: { sourceInstanceIdentifier: 'innovate-prod-postgres', restoreTime: time },
    });
    const first = databaseInstanceIdentifier('innovate-prod', at('2026-12-03T10:14:00Z'));
    const second = databaseInstanceIdentifier('innovate-prod', at('2026-12-03T10:15:00Z'));
    expect(new Set([databaseInstanceIdentifier('innovate-prod', undefined), first, second]).size).toBe(3);
    const reordered = {
      pointInTime: { restoreTime: '2026-12-03T10:14:00Z', sourceInstanceIdentifier: 'innovate-prod-postgres' },
    };
    expect(databaseInstanceIdentifier('innovate-prod', reordered)).toBe(first);
    expect(first.length).toBeLessThanOrEqual(63);
  });
});
