/**
 * Nightly AWS Backup of the database with a copy to the DR region's vault (requirement DB-3) and one to the
 * organization's backup copies vault in the log-archive account (ADR 0047). In-region point-in-time
 * recovery comes from RDS automated backups (`backupRetentionDays`); this plan adds the cross-region copy.
 *
 * RPO in the DR region: up to 24 h (one nightly copy). RTO: restoring a snapshot in us-west-2, about 1 h for the
 * sizes configured here, plus re-pointing the API (docs/deployment.md).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { EncryptedBackupVault } from './backup-vault.ts';

export interface DatabaseBackupPlanProps {
  database: rds.DatabaseInstance;
  /** Name of the in-region vault. */
  vaultName: string;
  /** How long nightly recovery points are kept, in both regions. */
  retentionDays: number;
  /** DR copy target; none when the environment does not copy across regions. */
  drCopy?: { region: string; vaultName: string };
  /** The organization's backup copies vault in another account (ADR 0047); none when not enabled. */
  accountCopy?: { vaultArn: string; retentionDays: number };
}

export class DatabaseBackupPlan extends Construct {
  readonly plan: backup.BackupPlan;
  readonly vault: EncryptedBackupVault;

  constructor(scope: Construct, id: string, props: DatabaseBackupPlanProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.vault = new EncryptedBackupVault(this, 'Vault', { vaultName: props.vaultName });
    this.plan = new backup.BackupPlan(this, 'Plan', { backupPlanName: props.vaultName });
    this.plan.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const copyActions: backup.BackupPlanCopyActionProps[] = props.drCopy
      ? [
          {
            destinationBackupVault: backup.BackupVault.fromBackupVaultArn(
              this,
              'DrVault',
              stack.formatArn({
                service: 'backup',
                region: props.drCopy.region,
                resource: 'backup-vault',
                resourceName: props.drCopy.vaultName,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
            ),
            deleteAfter: Duration.days(props.retentionDays),
          },
        ]
      : [];
    if (props.accountCopy) {
      // Outside this account: a compromised or mistaken admin here cannot reach this copy.
      copyActions.push({
        destinationBackupVault: backup.BackupVault.fromBackupVaultArn(
          this,
          'AccountCopyVault',
          props.accountCopy.vaultArn,
        ),
        deleteAfter: Duration.days(props.accountCopy.retentionDays),
      });
    }
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'nightly',
        backupVault: this.vault.vault,
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '5' }),
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(4),
        deleteAfter: Duration.days(props.retentionDays),
        copyActions,
      }),
    );
    this.plan.addSelection('Database', {
      resources: [backup.BackupResource.fromRdsDatabaseInstance(props.database)],
    });
  }
}
