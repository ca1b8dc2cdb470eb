/**
 * dr: the backup vault in the DR region (us-west-2) that the data stack's nightly copies land in, with its own CMK
 * there, Vault-Locked in compliance mode (`database.drVaultLock`). Only for environments with
 * `database.crossRegionCopy.enabled`. Stateful: termination-protected.
 */
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EncryptedBackupVault } from '../constructs/backup-vault.ts';
import type { WorkloadStackProps } from '../workload-stack-props.ts';

export class DisasterRecoveryStack extends Stack {
  readonly vault: EncryptedBackupVault;

  constructor(scope: Construct, id: string, props: WorkloadStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const lock = props.environment.database.drVaultLock;
    this.vault = new EncryptedBackupVault(this, 'DrVault', {
      vaultName: props.environment.names.drBackupVaultName,
      ...(lock ? { lock } : {}),
    });
  }
}
