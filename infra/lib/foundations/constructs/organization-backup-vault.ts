/**
 * The organization's backup copies vault (log-archive account, primary region; ADR 0047): every environment's nightly
 * recovery point is copied here, so a compromised or mistaken workload account cannot take its last good backup
 * with it. Vault Lock in compliance mode, a key only AWS Backup and RDS use in this account, and an access policy
 * that admits copies only from the organization's workload accounts and denies deleting or shortening a copy to
 * everyone. The SCPs keep anyone but a reviewed deploy from changing the vault's policy or lock.
 */
import type { PlatformConfig } from '@innovate/config';
import { ConfigError } from '@innovate/config';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { backupCopiesVault } from '../backup-copies.ts';
import { FoundationsKey } from './foundations-key.ts';

export const BACKUP_COPIES_SIDS = {
  copyIn: 'CopiesFromWorkloadAccountsOnly',
  noDeletion: 'NobodyDeletesOrShortensCopies',
} as const;

export interface OrganizationBackupVaultProps {
  config: PlatformConfig;
  /** The account this vault lives in (the log-archive account). */
  account: string;
}

export class OrganizationBackupVault extends Construct {
  readonly vault: backup.BackupVault;

  constructor(scope: Construct, id: string, props: OrganizationBackupVaultProps) {
    super(scope, id);
    const { config, account } = props;
    const org = config.organization;
    const target = backupCopiesVault(config);
    const { lock } = org.foundations.backupCopies;
    const sources = config.environments.filter((env) => env.database.backupAccountCopy.enabled);
    for (const env of sources) {
      // The locked vault refuses a copy that would expire before the lock's minimum.
      if (env.database.backupAccountCopy.retentionDays < lock.minRetentionDays) {
        throw new ConfigError(
          `environments/${env.name}.yaml: database.backupAccountCopy.retentionDays: must be at least ` +
            `foundations.backupCopies.lock.minRetentionDays (${lock.minRetentionDays})`,
        );
      }
      if (env.region !== target.region) {
        throw new ConfigError(
          `environments/${env.name}.yaml: database.backupAccountCopy.enabled: copies go to ${target.region} only ` +
            `(a cross-account copy stays in its region); the environment is in ${env.region}`,
        );
      }
    }
    const region = Stack.of(this).region;
    const key = new FoundationsKey(this, 'Key', {
      alias: `alias/${org.tags.app}-org-backup-copies`,
      description: 'Encrypts the copies in the organization backup vault',
      administeringAccount: account,
      protectFromDeletion: { breakGlassRoleName: org.foundations.protectedRoles.breakGlassRoleName },
      uses: [
        new iam.PolicyStatement({
          sid: 'BackupEncryptsCopiesInThisAccount',
          principals: [new iam.AccountPrincipal(account)],
          actions: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:DescribeKey',
            'kms:CreateGrant',
          ],
          resources: ['*'],
          conditions: {
            StringEquals: { 'kms:ViaService': [`backup.${region}.amazonaws.com`, `rds.${region}.amazonaws.com`] },
          },
        }),
      ],
    }).key;
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: target.vaultName,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Compliance mode: after `changeableForDays` the lock is permanent, even for this account's root and for AWS.
      lockConfiguration: {
        minRetention: Duration.days(lock.minRetentionDays),
        changeableFor: Duration.days(lock.changeableForDays),
      },
      accessPolicy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: BACKUP_COPIES_SIDS.copyIn,
            principals: [new iam.AnyPrincipal()],
            actions: ['backup:CopyIntoBackupVault'],
            resources: ['*'],
            conditions: {
              StringEquals: {
                'aws:PrincipalOrgID': org.foundations.organizationId,
                'aws:PrincipalAccount': sources.map((env) => env.account.id),
              },
            },
          }),
          new iam.PolicyStatement({
            sid: BACKUP_COPIES_SIDS.noDeletion,
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
            resources: ['*'],
          }),
        ],
      }),
    });
  }
}
