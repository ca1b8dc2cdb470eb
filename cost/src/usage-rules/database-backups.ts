/**
 * RDS backup storage beyond the free allowance, and the snapshot copies in the DR region where config enables them
 * (config `usage.backupGB`, `usage.drCopyGB`, `usage.drSnapshotGB`).
 */
import type { UsageContext, UsageRule } from './rule.ts';

const databases = (ctx: UsageContext) => ctx.resources.filter((r) => r.resource.Type === 'AWS::RDS::DBInstance');
const hasDatabase = (ctx: UsageContext) => databases(ctx).length > 0;
/** Backup storage up to the provisioned storage of the primary instances (not read replicas) is free. */
const freeBackupGB = (ctx: UsageContext) =>
  databases(ctx)
    .filter((r) => r.resource.Properties?.SourceDBInstanceIdentifier === undefined)
    .reduce((total, r) => total + Number(r.resource.Properties?.AllocatedStorage ?? 0), 0);
const crossRegionCopy = { present: (ctx: UsageContext) => ctx.account.env?.database.crossRegionCopy.enabled === true };

export const databaseBackupRules: readonly UsageRule[] = [
  {
    id: 'rds-backup',
    owner: 'AWS::RDS::DBInstance',
    fields: ['backupGB'],
    appliesWhen: hasDatabase,
    item: (ctx) => `RDS backup storage beyond the free ${freeBackupGB(ctx)} GB`,
    price: 'rds.backup.gb-month',
    unit: 'GB-month',
    quantity: (ctx) => Math.max(0, ctx.usage.backupGB - freeBackupGB(ctx)),
  },
  {
    id: 'dr-copy-transfer',
    owner: 'DR copies',
    fields: ['drCopyGB'],
    appliesWhen: hasDatabase,
    needs: crossRegionCopy,
    item: 'snapshot copy transfer to the DR region',
    price: 'data-transfer.inter-region.gb',
    unit: 'GB transferred',
    quantity: (ctx) => ctx.usage.drCopyGB,
  },
  {
    id: 'dr-copies-stored',
    owner: 'DR copies',
    fields: ['drSnapshotGB'],
    appliesWhen: hasDatabase,
    needs: crossRegionCopy,
    region: (ctx) => ctx.account.drRegion,
    item: 'snapshot copies stored in the DR region',
    price: 'rds.backup.gb-month',
    unit: 'GB-month',
    quantity: (ctx) => ctx.usage.drSnapshotGB,
  },
];
