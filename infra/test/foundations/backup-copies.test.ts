/**
 * The organization's backup copies vault in the log-archive account (requirement DB-3, ADR 0047): Vault Lock in
 * compliance mode from config, a policy that admits copies only from the workload accounts that send them, the SCP
 * that keeps its policy and lock to reviewed deploys, and config mistakes refused with the field named.
 * Who may do what is in the scenario table (backup-copies-scenarios.ts).
 */
import { ConfigError, type PlatformConfig } from '@innovate/config';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../lib/app-context.ts';
import { accountDirectory } from '../../lib/foundations/account-directory.ts';
import { backupCopiesVault } from '../../lib/foundations/backup-copies.ts';
import { BACKUP_COPIES_SIDS } from '../../lib/foundations/constructs/organization-backup-vault.ts';
import { LogArchiveStack } from '../../lib/foundations/stacks/log-archive-stack.ts';
import { OrganizationModel } from './organization-model.ts';
import { config, foundations, resourcesOfType, synthesized } from './synthesized.ts';

const stacks = synthesized();
const copies = backupCopiesVault(config);
const [vaultEntry] = resourcesOfType(stacks.logArchive.template, 'AWS::Backup::BackupVault');
const vault = vaultEntry?.[1].Properties ?? {};
type Statement = { Sid: string; Effect: string; Action: string | string[]; Condition?: Record<string, unknown> };
const statements = (vault.AccessPolicy as { Statement: Statement[] } | undefined)?.Statement ?? [];

describe('backup copies: a Vault-Locked vault in the log-archive account', () => {
  it('lives in the log-archive account and primary region under the name the copy rules use', () => {
    expect(stacks.logArchive.account).toBe(copies.account);
    expect(stacks.logArchive.region).toBe(copies.region);
    expect(vault.BackupVaultName).toBe(foundations.backupCopies.vaultName);
    // Pinned: a renamed logical id would make CloudFormation replace the vault (and its key) with empty ones.
    for (const [logicalId, type] of [
      ['BackupCopiesVaultEFC33BA4', 'AWS::Backup::BackupVault'],
      ['BackupCopiesKey6E4A7F6C', 'AWS::KMS::Key'],
    ]) {
      const resource = stacks.logArchive.template.Resources[logicalId as string];
      expect(resource?.Type, logicalId).toBe(type);
      expect(resource?.DeletionPolicy, logicalId).toBe('Retain');
    }
  });

  it('is locked in compliance mode with the retention and grace period from config', () => {
    expect(vault.LockConfiguration).toEqual({
      MinRetentionDays: foundations.backupCopies.lock.minRetentionDays,
      ChangeableForDays: foundations.backupCopies.lock.changeableForDays,
    });
  });

  it('admits copies only from the organization accounts whose environments send them', () => {
    const copyIn = statements.find((statement) => statement.Sid === BACKUP_COPIES_SIDS.copyIn);
    expect(copyIn?.Effect).toBe('Allow');
    expect(copyIn?.Action).toBe('backup:CopyIntoBackupVault');
    const senders = config.environments.filter((env) => env.database.backupAccountCopy.enabled);
    expect(senders.length).toBeGreaterThan(0);
    expect(copyIn?.Condition).toEqual({
      StringEquals: {
        'aws:PrincipalOrgID': foundations.organizationId,
        'aws:PrincipalAccount': senders.map((env) => env.account.id),
      },
    });
  });

  it('denies deleting or shortening a copy to everyone', () => {
    const deny = statements.find((statement) => statement.Sid === BACKUP_COPIES_SIDS.noDeletion);
    expect(deny?.Effect).toBe('Deny');
    expect(deny?.Condition).toBeUndefined();
    expect([deny?.Action].flat().sort()).toEqual(['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle']);
  });

  it('is guarded by the SCPs of every account it lives in (root-attached), except for reviewed deploys', () => {
    const model = new OrganizationModel(stacks.organization);
    const scp = model.scps.find((candidate) =>
      candidate.document.Statement.some((statement) => statement.Sid === 'ProtectBackupCopies'),
    );
    expect(scp?.targets).toContain(foundations.rootId);
    const statement = scp?.document.Statement.find(
      (candidate) => candidate.Sid === 'ProtectBackupCopies',
    ) as unknown as {
      Resource: string[];
      Condition: { ArnNotLike: { 'aws:PrincipalArn': string[] } };
    };
    expect(statement.Resource).toEqual([
      `arn:aws:backup:*:${copies.account}:backup-vault:${copies.vaultName}`,
      `arn:aws:backup:*:${copies.account}:recovery-point:*`,
    ]);
    expect(statement.Condition.ArnNotLike['aws:PrincipalArn']).toContain(
      'arn:aws:iam::*:role/cdk-hnb659fds-cfn-exec-role-*',
    );
  });
});

describe('backup copies: config mistakes are refused naming the field', () => {
  const build = (change: (copy: PlatformConfig) => void) => () => {
    const copy = JSON.parse(JSON.stringify(config)) as PlatformConfig;
    copy.environment = (name: string) => copy.environments.find((env) => env.name === name) as never;
    change(copy);
    new LogArchiveStack(testApp(), 'archive', {
      env: { account: copies.account, region: copies.region },
      config: copy,
      accounts: accountDirectory(copy),
    });
  };

  it('a copy kept for less than the lock minimum', () => {
    const attempt = build((copy) => {
      const prod = copy.environments.find((env) => env.name === 'prod');
      if (prod) prod.database.backupAccountCopy.retentionDays = foundations.backupCopies.lock.minRetentionDays - 1;
    });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/environments\/prod\.yaml: database\.backupAccountCopy\.retentionDays: must be at least/);
  });

  it('an environment outside the vault region that asks for copies', () => {
    const attempt = build((copy) => {
      const prod = copy.environments.find((env) => env.name === 'prod');
      if (prod) prod.region = 'us-west-2';
    });
    expect(attempt).toThrow(/environments\/prod\.yaml: database\.backupAccountCopy\.enabled: copies go to us-east-1/);
  });
});
