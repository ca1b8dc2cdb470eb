/**
 * What the guardrails need to know, derived once from config: allowed regions, the protected principals that the
 * SCPs except by condition, and the names of the roles Identity Center creates.
 *
 * The SCP builders take only this object, so the policy tests and the stacks see the same values.
 */
import { COST_TAG_KEYS, type PermissionSetKey, type PlatformConfig } from '@innovate/config';
import type { AccountDirectory } from './account-directory.ts';
import { backupCopiesVault } from './backup-copies.ts';

export interface GuardrailSettings {
  /** Regions where regional services may be used (requirement ORG-2: primary + DR). */
  allowedRegions: string[];
  /** Principal ARN patterns every SCP excepts: break-glass and the organization's automation role, in any account. */
  protectedPrincipalArns: string[];
  /** Principal ARN patterns excepted from the security-service guardrails only: the security account's deployer. */
  securityAutomationArns: string[];
  /** ARN pattern of the protected roles (what nobody else may modify or pass to a service). */
  protectedRoleArns: string[];
  /**
   * The member baseline's guardrail enforcer (a custom resource's role in every member account): excepted only from
   * the statements guarding the settings it switches on (account S3 Block Public Access, EBS default encryption).
   */
  guardrailEnforcerArns: string[];
  /** ARN of the enforcer's function in every member account and region (nobody may change its code). */
  guardrailEnforcerFunctionArn: string;
  /** The organization's backup copies vault and its recovery points (log-archive account; ADR 0047). */
  backupCopiesArns: string[];
  /** The CDK execution roles: the only non-emergency principals that may change production databases and keys. */
  deployRoleArns: string[];
  /** Name of the role Organizations creates in every member account (AdministratorAccess; MFA sessions only). */
  orgAccessRoleName: string;
  /** Path of the only IAM users member accounts may have. */
  breakGlassUserPath: string;
  /** The cost-allocation tag keys that must be on every main resource at creation. */
  costTagKeys: readonly string[];
  /** ARN pattern of every human (Identity Center) role, and of the one that may reach production data. */
  ssoRoleArnPattern: string;
  prodDataAccessRoleArnPattern: string;
}

/** Name of the role and function that switch the account-level guardrails on in every member account. */
export function guardrailEnforcerName(config: Pick<PlatformConfig, 'organization'>): string {
  return `${config.organization.tags.app}-account-guardrails`;
}

/** CDK's default bootstrap qualifier; `cdk bootstrap` creates `cdk-<qualifier>-cfn-exec-role-<account>-<region>`. */
export const DEFAULT_CDK_QUALIFIER = 'hnb659fds';

/** Name of each permission set in Identity Center (max 32 characters), prefixed by the app name. */
export function permissionSetName(config: Pick<PlatformConfig, 'organization'>, key: PermissionSetKey): string {
  const suffix: Record<PermissionSetKey, string> = {
    readOnly: 'read-only',
    devops: 'devops',
    clusterAdmin: 'cluster-admin',
    securityAdmin: 'security-admin',
    breakGlass: 'break-glass',
    prodDataAccess: 'prod-data-access',
  };
  return `${config.organization.tags.app}-${suffix[key]}`;
}

/**
 * ARN pattern of the role Identity Center creates in an account for one permission set:
 * `arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com[/<region>]/AWSReservedSSO_<set name>_<16 hex>`.
 * The wildcard after the path covers both the path with and without the region segment.
 */
export function identityCenterRoleArnPattern(
  config: Pick<PlatformConfig, 'organization'>,
  key: PermissionSetKey,
  account = '*',
): string {
  return `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${permissionSetName(config, key)}_*`;
}

export function guardrailSettings(
  config: PlatformConfig,
  accounts: AccountDirectory,
  cdkQualifier: string = DEFAULT_CDK_QUALIFIER,
): GuardrailSettings {
  const org = config.organization;
  const roles = org.foundations.protectedRoles;
  const protectedPrincipalArns = [roles.breakGlassRoleName, roles.orgAutomationRoleName].map(
    (name) => `arn:aws:iam::*:role/${name}`,
  );
  const enforcer = guardrailEnforcerName(config);
  const guardrailEnforcerArns = [`arn:aws:iam::*:role/${enforcer}`];
  const security = accounts.security.id;
  const copies = backupCopiesVault(config);
  return {
    allowedRegions: [...new Set([org.primaryRegion, org.drRegion])],
    protectedPrincipalArns,
    securityAutomationArns: [`arn:aws:iam::${security}:role/cdk-${cdkQualifier}-cfn-exec-role-${security}-*`],
    protectedRoleArns: [...protectedPrincipalArns, ...guardrailEnforcerArns],
    guardrailEnforcerArns,
    guardrailEnforcerFunctionArn: `arn:aws:lambda:*:*:function:${enforcer}`,
    backupCopiesArns: [
      `arn:aws:backup:*:${copies.account}:backup-vault:${copies.vaultName}`,
      `arn:aws:backup:*:${copies.account}:recovery-point:*`,
    ],
    deployRoleArns: [`arn:aws:iam::*:role/cdk-${cdkQualifier}-cfn-exec-role-*`],
    orgAccessRoleName: roles.orgAutomationRoleName,
    breakGlassUserPath: org.foundations.breakGlassUserPath,
    costTagKeys: COST_TAG_KEYS,
    ssoRoleArnPattern: 'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*',
    prodDataAccessRoleArnPattern: identityCenterRoleArnPattern(config, 'prodDataAccess'),
  };
}
