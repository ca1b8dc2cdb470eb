/**
 * Where every environment's nightly recovery point is copied outside its own account (ADR 0047): one vault in the
 * log-archive account, in the organization's primary region. The workload's copy rule names it before it exists in
 * its account, the SCPs protect it, and the log-archive stack creates it: each side derives it here.
 */
import type { PlatformConfig } from '@innovate/config';

export interface BackupCopiesVault {
  account: string;
  region: string;
  vaultName: string;
  vaultArn: string;
  /** Every recovery point of that account (recovery-point ARNs carry no vault name). */
  recoveryPointArns: string;
}

export function backupCopiesVault(config: Pick<PlatformConfig, 'organization'>): BackupCopiesVault {
  const org = config.organization;
  const account = org.accounts.logArchive.id;
  const { vaultName } = org.foundations.backupCopies;
  return {
    account,
    region: org.primaryRegion,
    vaultName,
    vaultArn: `arn:aws:backup:${org.primaryRegion}:${account}:backup-vault:${vaultName}`,
    recoveryPointArns: `arn:aws:backup:${org.primaryRegion}:${account}:recovery-point:*`,
  };
}
