/**
 * Stateful resources (database, keys, zones, buckets, repositories, vaults) live in termination-protected stacks,
 * are retained on removal, and keep their logical ids: a refactor that renamed one would make CloudFormation
 * REPLACE it (a new, empty database). These ids are pinned on purpose; change one only with a migration plan.
 */
import { describe, expect, it } from 'vitest';
import { STATEFUL_PARTS, type WorkloadStacks } from '../../lib/workload-app.ts';
import { ENVIRONMENTS, stacksOf, templateOf } from '../helpers/environment-stacks.ts';

const PINNED: Record<string, Record<string, string>> = {
  data: {
    DataKey17AFBB84: 'AWS::KMS::Key',
    PostgresInstanceEC667DB9: 'AWS::RDS::DBInstance',
    PostgresMasterSecretAC59FC1A: 'AWS::SecretsManager::Secret',
    AppUserSecretE5620901: 'AWS::SecretsManager::Secret',
    BackupVault368E0ECE: 'AWS::Backup::BackupVault',
    BackupVaultKeyA286A54F: 'AWS::KMS::Key',
  },
  domain: { ZoneA5DE4B68: 'AWS::Route53::HostedZone', OriginVerifySecretEA260BA4: 'AWS::SecretsManager::Secret' },
  edge: {
    SpaBucket48E1059F: 'AWS::S3::Bucket',
    AccessLogs8B620ECA: 'AWS::S3::Bucket',
    SpaKeyA165C8A3: 'AWS::KMS::Key',
  },
  delivery: { ApiRepositoryB8378B43: 'AWS::ECR::Repository', RepositoryKey0F9BF672: 'AWS::KMS::Key' },
  users: { SignInUserPoolA2C003D1: 'AWS::Cognito::UserPool' },
  dr: { DrVault3775A96C: 'AWS::Backup::BackupVault', DrVaultKey223C2442: 'AWS::KMS::Key' },
};

describe('stateful stacks are termination-protected', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const stacks = stacksOf(name);
    for (const part of STATEFUL_PARTS) {
      const stack = stacks[part as keyof WorkloadStacks];
      if (stack) expect(stack.terminationProtection, `${name} ${part}`).toBe(true);
    }
    expect(stacks.cluster.terminationProtection).toBe(false);
  });
});

describe('logical ids of stateful resources are pinned, and those resources are retained', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    for (const [part, pinned] of Object.entries(PINNED)) {
      if (!stacksOf(name)[part as keyof WorkloadStacks]) continue;
      const resources = templateOf(name, part as keyof WorkloadStacks).toJSON().Resources;
      for (const [logicalId, type] of Object.entries(pinned)) {
        expect(resources[logicalId]?.Type, `${name} ${part} ${logicalId}`).toBe(type);
        expect(['Retain', 'Snapshot']).toContain(resources[logicalId]?.DeletionPolicy);
      }
    }
  });
});
