/**
 * An AWS Backup vault encrypted with its own CMK. Used twice: the primary vault beside the database, and the DR
 * vault in the DR region (us-west-2) that nightly copies land in (requirement DB-3).
 *
 * The vault name is deterministic so the primary region's copy rule can name the DR vault's ARN without a
 * cross-region stack reference. The DR vault is also Vault-Locked in compliance mode (ADR 0047).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface EncryptedBackupVaultProps {
  /** Deterministic vault name, e.g. `innovate-prod-dr`. */
  vaultName: string;
  /**
   * AWS Backup Vault Lock in compliance mode: no recovery point is deleted before `minRetentionDays`, by anyone.
   * During `changeableForDays` after the deploy the lock can still be changed or removed; after that it is permanent
   * (not even AWS or the account's root can remove it, and the vault can only be deleted once empty).
   */
  lock?: { minRetentionDays: number; changeableForDays: number };
}

export class EncryptedBackupVault extends Construct {
  readonly vault: backup.BackupVault;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptedBackupVaultProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts recovery points in backup vault ${props.vaultName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Nobody, not even an administrator of this account, deletes recovery points before they expire.
      blockRecoveryPointDeletion: true,
      ...(props.lock
        ? {
            lockConfiguration: {
              minRetention: Duration.days(props.lock.minRetentionDays),
              changeableFor: Duration.days(props.lock.changeableForDays),
            },
          }
        : {}),
    });
  }
}
