/**
 * Scenarios of the organization's backup copies vault (log-archive account; ADR 0047): who may copy in, and that
 * nobody deletes, shortens or re-policies a copy outside a reviewed deploy. The SCP statement (ProtectBackupCopies)
 * is evaluated without the vault policy, the vault policy's statements with it, so removing either alone flips one.
 */
import { backupCopiesVault } from '../../lib/foundations/backup-copies.ts';
import { permissionSetName } from '../../lib/foundations/guardrail-settings.ts';
import { ADMIN, type Scenario } from './policy-simulator.ts';
import { accounts, config, foundations } from './synthesized.ts';

const copies = backupCopiesVault(config);
const archive = accounts.logArchive.id;
const [prod, security] = [accounts.get('prod').id, accounts.security.id];
const sso = (account: string, set: Parameters<typeof permissionSetName>[1]) =>
  `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${permissionSetName(config, set)}_0123456789abcdef`;
const breakGlass = `arn:aws:iam::${archive}:role/${foundations.protectedRoles.breakGlassRoleName}`;
const deployer = `arn:aws:iam::${archive}:role/cdk-hnb659fds-cfn-exec-role-${archive}-${copies.region}`;
const recoveryPoint = `arn:aws:backup:${copies.region}:${archive}:recovery-point:0123abcd-0123-4567-89ab-0123456789ab`;
/** The role AWS Backup runs a workload account's plan with (the one CDK creates for the plan's selection). */
const backupRole = (account: string) => `arn:aws:iam::${account}:role/innovate-data-BackupPlanDatabaseRole`;

/** Every action ProtectBackupCopies names, with the resource each one takes. */
const PROTECTED_ACTIONS: Record<string, string> = {
  'backup:DeleteBackupVault': copies.vaultArn,
  'backup:DeleteBackupVaultAccessPolicy': copies.vaultArn,
  'backup:PutBackupVaultAccessPolicy': copies.vaultArn,
  'backup:DeleteBackupVaultLockConfiguration': copies.vaultArn,
  'backup:PutBackupVaultLockConfiguration': copies.vaultArn,
  'backup:DeleteRecoveryPoint': recoveryPoint,
  'backup:UpdateRecoveryPointLifecycle': recoveryPoint,
};

const copyIn = (name: string, principal: string, account: string, orgId: string, expected: Scenario['expected']) => ({
  name,
  principal,
  identityPolicies: [ADMIN],
  action: 'backup:CopyIntoBackupVault',
  resource: copies.vaultArn,
  resourceAccount: archive,
  resourcePolicy: 'backupCopiesVault',
  context: { 'aws:PrincipalOrgID': orgId, 'aws:PrincipalAccount': account },
  expected,
});

export const BACKUP_COPIES_SCENARIOS: Scenario[] = [
  // innovate-protect-data / ProtectBackupCopies (no vault policy: the SCP alone must hold)
  ...Object.entries(PROTECTED_ACTIONS).map(
    ([action, resource]): Scenario => ({
      name: `a log-archive security admin cannot ${action} on the backup copies`,
      principal: sso(archive, 'securityAdmin'),
      scpAccount: 'logArchive',
      identityPolicies: [ADMIN],
      action,
      resource,
      resourceAccount: archive,
      expected: 'ExplicitlyDenied',
    }),
  ),
  {
    name: "the log-archive deploy role updates the backup copies vault's access policy",
    principal: deployer,
    scpAccount: 'logArchive',
    identityPolicies: [ADMIN],
    action: 'backup:PutBackupVaultAccessPolicy',
    resource: copies.vaultArn,
    resourceAccount: archive,
    expected: 'Allowed',
  },
  // the vault's access policy
  copyIn(
    'a workload account copies its recovery point into the backup copies vault',
    backupRole(prod),
    prod,
    foundations.organizationId,
    'Allowed',
  ),
  copyIn(
    'the security account cannot copy into the backup copies vault',
    backupRole(security),
    security,
    foundations.organizationId,
    'ImplicitlyDenied',
  ),
  copyIn(
    'an account outside the organization cannot copy into the backup copies vault',
    'arn:aws:iam::999999999999:role/x',
    '999999999999',
    'o-zzzzzzzzzz',
    'ImplicitlyDenied',
  ),
  ...['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'].map(
    (action): Scenario => ({
      name: `even break-glass cannot ${action} in the backup copies vault (its policy denies everyone)`,
      principal: breakGlass,
      scpAccount: 'logArchive',
      identityPolicies: [ADMIN],
      action,
      resource: recoveryPoint,
      resourceAccount: archive,
      resourcePolicy: 'backupCopiesVault',
      expected: 'ExplicitlyDenied',
    }),
  ),
];
