import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, cidrsOverlap, DEFAULT_CONFIG_DIR, loadPlatformConfig } from '../src/load.ts';

/** Copies the real config to a temp folder and applies `edit` to one file's text. */
function configWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'innovate-config-'));
  cpSync(join(DEFAULT_CONFIG_DIR, 'organization.yaml'), join(dir, 'organization.yaml'));
  cpSync(join(DEFAULT_CONFIG_DIR, 'environments'), join(dir, 'environments'), { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

describe('the committed configuration', () => {
  const config = loadPlatformConfig();

  it('has dev, staging and prod in promotion order', () => {
    expect(config.environments.map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);
  });

  it('differs between environments where the spec says it should', () => {
    const [dev, staging, prod] = ['dev', 'staging', 'prod'].map((name) => config.environment(name));
    expect([dev, staging, prod].map((env) => env?.network.nat)).toEqual([
      { provider: 'instance', count: 1, instanceType: 't4g.nano' },
      { provider: 'instance', count: 1, instanceType: 't4g.nano' },
      { provider: 'gateway', count: 3 },
    ]);
    expect([dev, staging, prod].map((env) => env?.database.backupRetentionDays)).toEqual([7, 14, 30]);
    expect([dev, staging, prod].map((env) => env?.database.multiAz)).toEqual([false, true, true]);
    expect(prod?.network.vpcCidr).toBe('10.20.0.0/16');
  });

  it('carries the four cost tags on every environment', () => {
    for (const env of config.environments) {
      expect(Object.keys(env.tags).sort()).toEqual(['app', 'cost-center', 'env', 'owner']);
      expect(env.tags.env).toBe(env.name);
    }
  });

  it('derives deterministic names from the values', () => {
    const prod = config.environment('prod');
    expect(prod.names.clusterName).toBe('innovate-prod');
    expect(prod.names.karpenterNodeRoleName).toBe('innovate-prod-karpenter-node');
  });
});

describe('invalid configuration fails with the file and field named', () => {
  const cases: Array<[string, string, (text: string) => string, RegExp]> = [
    [
      'bad CIDR',
      'environments/prod.yaml',
      (t) => t.replace('10.20.0.0/16', '10.20.0.0/33'),
      /prod\.yaml: network\.vpcCidr: /,
    ],
    [
      'host bits set',
      'environments/prod.yaml',
      (t) => t.replace('10.20.0.0/16', '10.20.1.0/16'),
      /network\.vpcCidr: host bits/,
    ],
    [
      'two NATs (neither one nor one per AZ)',
      'environments/dev.yaml',
      (t) => t.replace('count: 1, instanceType', 'count: 2, instanceType'),
      /dev\.yaml: network\.nat\.count/,
    ],
    [
      'NAT per AZ without a reason',
      'environments/prod.yaml',
      (t) => t.replace(/ {4}natPerAz: .*\n/, ''),
      /prod\.yaml: costPolicy\.reasons\.natPerAz: required: network\.nat\.count is one per AZ/,
    ],
    [
      'a NAT gateway without a reason',
      'environments/prod.yaml',
      (t) => t.replace(/ {4}natGateway: .*\n/, ''),
      /prod\.yaml: costPolicy\.reasons\.natGateway: required: network\.nat\.provider is gateway/,
    ],
    [
      'a NAT instance in prod',
      'environments/prod.yaml',
      (t) =>
        t.replace(
          'nat: { provider: gateway, count: 3 }',
          'nat: { provider: instance, count: 3, instanceType: t4g.nano }',
        ),
      /^environments\/prod\.yaml: network\.nat\.provider: must be "gateway" in prod \(a NAT instance is not highly available/,
    ],
    [
      'a NAT instance without its type',
      'environments/dev.yaml',
      (t) =>
        t.replace(
          'nat: { provider: instance, count: 1, instanceType: t4g.nano }',
          'nat: { provider: instance, count: 1 }',
        ),
      /dev\.yaml: network\.nat\.instanceType: required when provider is instance/,
    ],
    [
      'an x86 NAT instance (the image is arm64)',
      'environments/staging.yaml',
      (t) => t.replace('instanceType: t4g.nano', 'instanceType: t3.nano'),
      /staging\.yaml: network\.nat\.instanceType: expected a Graviton \(arm64\) instance type/,
    ],
    [
      'an instance type on a NAT gateway',
      'environments/prod.yaml',
      (t) =>
        t.replace(
          'nat: { provider: gateway, count: 3 }',
          'nat: { provider: gateway, count: 3, instanceType: t4g.nano }',
        ),
      /prod\.yaml: network\.nat\.instanceType: only for provider: instance/,
    ],
    [
      'schedule off without a reason',
      'environments/staging.yaml',
      (t) => t.replace(/ {4}alwaysOn: .*\n/, ''),
      /staging\.yaml: costPolicy\.reasons\.alwaysOn: required/,
    ],
    [
      'unknown interface endpoint service',
      'environments/dev.yaml',
      (t) => t.replace('services: [ecr.api,', 'services: [ecr,'),
      /dev\.yaml: costPolicy\.interfaceEndpoints\.services\.0: /,
    ],
    [
      'schedule stops before it starts',
      'environments/dev.yaml',
      (t) => t.replace('stop: "20:00"', 'stop: "06:00"'),
      /dev\.yaml: costPolicy\.offHours\.stop: must be later than start/,
    ],
    [
      'no system node at night (Karpenter could not remove nodes or wake the API)',
      'environments/dev.yaml',
      (t) => t.replace('systemNodesAtNight: 1', 'systemNodesAtNight: 0'),
      /dev\.yaml: costPolicy\.offHours\.systemNodesAtNight: /,
    ],
    [
      'more system nodes at night than by day',
      'environments/dev.yaml',
      (t) => t.replace('systemNodesAtNight: 1', 'systemNodesAtNight: 3'),
      /dev\.yaml: costPolicy\.offHours\.systemNodesAtNight: must not exceed cluster\.systemNodes\.minSize \(2\)/,
    ],
    [
      'the API wakes after the stop',
      'environments/dev.yaml',
      (t) => t.replace('apiWakeDelayMinutes: 15', 'apiWakeDelayMinutes: 120').replace('stop: "20:00"', 'stop: "08:30"'),
      /dev\.yaml: costPolicy\.offHours\.apiWakeDelayMinutes: the API must wake before stop/,
    ],
    [
      'prod without required MFA',
      'environments/prod.yaml',
      (t) => t.replace('  mfa: required', '  mfa: optional'),
      /prod\.yaml: auth\.mfa: must be "required" in prod/,
    ],
    [
      'unknown MFA mode',
      'environments/dev.yaml',
      (t) => t.replace('  mfa: optional', '  mfa: sometimes'),
      /dev\.yaml: auth\.mfa: /,
    ],
    [
      'unknown threat protection mode',
      'environments/staging.yaml',
      (t) => t.replace('threatProtection: enforced', 'threatProtection: full'),
      /staging\.yaml: auth\.threatProtection: /,
    ],
    [
      'access token shorter than Cognito allows',
      'environments/prod.yaml',
      (t) => t.replace('accessTokenMinutes: 15', 'accessTokenMinutes: 2'),
      /prod\.yaml: auth\.accessTokenMinutes: /,
    ],
    [
      'refresh token longer than Cognito allows',
      'environments/dev.yaml',
      (t) => t.replace('refreshTokenDays: 7', 'refreshTokenDays: 4000'),
      /dev\.yaml: auth\.refreshTokenDays: /,
    ],
    [
      'callback that is not a path',
      'environments/dev.yaml',
      (t) => t.replace('callbackPaths: [/auth/callback]', 'callbackPaths: ["https://evil.example/cb"]'),
      /dev\.yaml: auth\.callbackPaths\.0: expected a path such as \/auth\/callback/,
    ],
    [
      'no logout path',
      'environments/dev.yaml',
      (t) => t.replace('logoutPaths: [/]', 'logoutPaths: []'),
      /dev\.yaml: auth\.logoutPaths: /,
    ],
    [
      'missing auth block',
      'environments/staging.yaml',
      (t) => t.replace(/^auth:\n( {2}.*\n)+/m, ''),
      /staging\.yaml: auth: /,
    ],
    [
      'unknown field',
      'environments/dev.yaml',
      (t) => t.replace('azCount: 3', 'azCount: 3\n  azzCount: 3'),
      /dev\.yaml: network: .*azzCount/,
    ],
    [
      'short account id',
      'environments/staging.yaml',
      (t) => t.replace('"100000000012"', '"12345"'),
      /staging\.yaml: account\.id: expected a 12-digit/,
    ],
    [
      'host outside zone',
      'environments/dev.yaml',
      (t) => t.replace('api.dev.innovate.example.com', 'api.example.org'),
      /dev\.yaml: dns: api\.example\.org is not inside zone/,
    ],
    [
      'overlapping VPCs',
      'environments/staging.yaml',
      (t) => t.replace('10.10.0.0/16', '10.0.128.0/17'),
      /staging\.yaml: network\.vpcCidr: 10\.0\.128\.0\/17 overlaps dev/,
    ],
    [
      'bad log retention',
      'environments/prod.yaml',
      (t) => t.replace('logRetentionDays: 90', 'logRetentionDays: 45'),
      /prod\.yaml: observability\.logRetentionDays/,
    ],
    [
      'missing region',
      'organization.yaml',
      (t) => t.replace('primaryRegion: us-east-1\n', ''),
      /organization\.yaml: primaryRegion/,
    ],
    ['not YAML', 'organization.yaml', () => 'a: [unclosed', /organization\.yaml: /],
  ];

  it.each(cases)('%s', (_label, file, edit, message) => {
    const dir = configWith(file, edit);
    expect(() => loadPlatformConfig(dir)).toThrowError(ConfigError);
    expect(() => loadPlatformConfig(dir)).toThrowError(message);
  });

  it('names an unknown environment', () => {
    expect(() => loadPlatformConfig().environment('qa')).toThrowError(
      /unknown environment "qa"; known: dev, staging, prod/,
    );
  });
});

describe('database.restore: one line naming the field', () => {
  const anchor = '  crossRegionCopy: { enabled: true, retentionDays: 14 }\n';
  const source = 'sourceInstanceIdentifier: innovate-prod-postgres';
  const snapshot = (region: string) =>
    `snapshot: { snapshotArn: "arn:aws:rds:${region}:100000000013:snapshot:awsbackup:job-0c1f2e3d" }`;
  const withRestore = (restore: string) =>
    configWith('environments/prod.yaml', (t) => t.replace(anchor, `${anchor}  restore: ${restore}\n`));

  it.each([
    [
      'a restore time that is no instant',
      `{ pointInTime: { ${source}, restoreTime: "2026-02-30T10:00:00Z" } }`,
      'database.restore.pointInTime.restoreTime: expected an ISO 8601 UTC instant such as 2026-12-03T10:14:00Z',
    ],
    [
      'a restore time with an offset instead of UTC',
      `{ pointInTime: { ${source}, restoreTime: "2026-12-03T11:14:00+01:00" } }`,
      'database.restore.pointInTime.restoreTime: expected an ISO 8601 UTC instant such as 2026-12-03T10:14:00Z',
    ],
    [
      'both a restore time and the latest restorable time',
      `{ pointInTime: { ${source}, restoreTime: "2026-12-03T10:14:00Z", useLatestRestorableTime: true } }`,
      'database.restore.pointInTime: expected exactly one of restoreTime or useLatestRestorableTime: true',
    ],
    [
      'a point in time without a time',
      `{ pointInTime: { ${source} } }`,
      'database.restore.pointInTime: expected exactly one of restoreTime or useLatestRestorableTime: true',
    ],
    [
      'a point in time and a snapshot',
      `{ pointInTime: { ${source}, useLatestRestorableTime: true }, ${snapshot('us-east-1')} }`,
      'database.restore: expected exactly one of pointInTime or snapshot',
    ],
    ['neither form', '{}', 'database.restore: expected exactly one of pointInTime or snapshot'],
    [
      'a snapshot name instead of an ARN',
      '{ snapshot: { snapshotArn: innovate-prod-before-migration } }',
      'database.restore.snapshot.snapshotArn: expected an RDS snapshot ARN (arn:aws:rds:<region>:<account>:snapshot:<name>)',
    ],
    [
      'a snapshot in another region',
      `{ ${snapshot('us-west-2')} }`,
      "database.restore.snapshot.snapshotArn: must be in the environment's region us-east-1 (copy the snapshot there first)",
    ],
    [
      'a source that is no instance identifier',
      '{ pointInTime: { sourceInstanceIdentifier: innovate--prod, useLatestRestorableTime: true } }',
      'database.restore.pointInTime.sourceInstanceIdentifier: expected an RDS instance identifier such as innovate-prod-postgres',
    ],
  ])('%s', (_label, restore, message) => {
    expect(() => loadPlatformConfig(withRestore(restore))).toThrowError(
      new ConfigError(`environments/prod.yaml: ${message}`),
    );
  });

  it('accepts each form, and names the restored instance after the block', () => {
    const forms = [
      `{ pointInTime: { ${source}, restoreTime: "2026-12-03T10:14:00Z" } }`,
      `{ pointInTime: { ${source}, useLatestRestorableTime: true } }`,
      `{ ${snapshot('us-east-1')} }`,
    ];
    const identifiers = forms.map(
      (restore) => loadPlatformConfig(withRestore(restore)).environment('prod').names.databaseInstanceIdentifier,
    );
    for (const id of identifiers) expect(id).toMatch(/^innovate-prod-postgres-r[0-9a-f]{8}$/);
    expect(new Set(identifiers).size).toBe(3);
  });
});

describe('database.drVaultLock: one line naming the field', () => {
  const lockLine = '  drVaultLock: { minRetentionDays: 14, changeableForDays: 3 }\n';
  const withLock = (replacement: string) =>
    configWith('environments/prod.yaml', (t) => {
      expect(t).toContain(lockLine);
      return t.replace(lockLine, replacement);
    });

  it.each([
    [
      'no lock while copies cross regions',
      '',
      'database.drVaultLock: required when database.crossRegionCopy.enabled is true (the DR vault is locked)',
    ],
    [
      'a lock minimum longer than the copies are kept',
      '  drVaultLock: { minRetentionDays: 15, changeableForDays: 3 }\n',
      'database.drVaultLock.minRetentionDays: must not exceed database.crossRegionCopy.retentionDays (14)',
    ],
  ])('%s', (_label, replacement, message) => {
    expect(() => loadPlatformConfig(withLock(replacement))).toThrowError(
      new ConfigError(`environments/prod.yaml: ${message}`),
    );
  });

  it('refuses a grace period shorter than AWS allows (3 days)', () => {
    expect(() =>
      loadPlatformConfig(withLock('  drVaultLock: { minRetentionDays: 14, changeableForDays: 2 }\n')),
    ).toThrowError(/environments\/prod\.yaml: database\.drVaultLock\.changeableForDays: /);
  });
});

describe('cidrsOverlap', () => {
  it.each([
    ['10.0.0.0/16', '10.0.255.0/24', true],
    ['10.0.0.0/16', '10.1.0.0/16', false],
    ['10.0.0.0/8', '10.20.0.0/16', true],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(cidrsOverlap(a, b)).toBe(expected);
  });
});
