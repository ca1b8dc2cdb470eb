/**
 * The organization's service control policies (requirement ORG-2). Each is a pure function of the guardrail
 * settings; the organization stack attaches them, and the policy tests evaluate the SYNTHESIZED copies.
 *
 * Why each exists is in docs/decisions/0040-service-control-policy-set.md. Conventions:
 * - every statement is a Deny with a Sid (tests remove statements, then each action and each condition key, one by
 *   one and expect a scenario to flip);
 * - exceptions are made by condition (`ArnNotLike aws:PrincipalArn`), never by leaving a principal out;
 * - SCPs never apply to the management account or to service-linked roles (AWS behaviour), so they guard members.
 */
import type { GuardrailSettings } from '../guardrail-settings.ts';
import { GLOBAL_SERVICE_ACTIONS } from './global-services.ts';
import { type PolicyDocumentJson, type PolicyStatementJson, policyDocument } from './policy-document.ts';

/** Where an SCP is attached: the organization root, the workloads OU, or the production OU. */
export type ScpTarget = 'root' | 'workloads' | 'prod';

export interface ServiceControlPolicy {
  /** Name in AWS Organizations; also the construct id. */
  name: string;
  description: string;
  target: ScpTarget;
  document: PolicyDocumentJson;
}

export function serviceControlPolicies(settings: GuardrailSettings): ServiceControlPolicy[] {
  return [
    {
      name: 'innovate-identity-and-organization',
      description: 'No root user, no leaving the organization, no IAM users or access keys outside break-glass',
      target: 'root',
      document: identityAndOrganization(settings),
    },
    {
      name: 'innovate-protect-security-services',
      description: 'CloudTrail, Config, GuardDuty, Security Hub, Access Analyzer, S3 Block Public Access stay on',
      target: 'root',
      document: protectSecurityServices(settings),
    },
    {
      name: 'innovate-restrict-regions',
      description: `Regional services only in ${settings.allowedRegions.join(', ')}; global services exempt`,
      target: 'root',
      document: restrictRegions(settings),
    },
    {
      name: 'innovate-protect-data',
      description: 'Encrypted storage, backup copies kept, IMDSv2 only, no resource shares outside the organization',
      target: 'root',
      document: protectData(settings),
    },
    {
      name: 'innovate-require-cost-tags',
      description: `Main resources carry ${settings.costTagKeys.join(', ')} at creation; cost tags cannot be removed`,
      target: 'workloads',
      document: requireCostTags(settings),
    },
    {
      name: 'innovate-protect-production',
      description: 'Keys and backups cannot be deleted; humans reach the database only through the data-access role',
      target: 'prod',
      document: protectProduction(settings),
    },
  ];
}

const notProtected = (settings: GuardrailSettings, extra: string[] = []) => ({
  ArnNotLike: { 'aws:PrincipalArn': [...settings.protectedPrincipalArns, ...extra] },
});

function identityAndOrganization(settings: GuardrailSettings): PolicyDocumentJson {
  const userActions = ['iam:CreateUser', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'];
  const breakGlassUsers = `arn:aws:iam::*:user${settings.breakGlassUserPath}*`;
  return policyDocument([
    {
      Sid: 'DenyRootUser',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:root' } },
    },
    { Sid: 'DenyLeaveOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
    {
      Sid: 'DenyIamUsersOutsideBreakGlassPath',
      Effect: 'Deny',
      Action: userActions,
      NotResource: breakGlassUsers,
    },
    {
      Sid: 'DenyBreakGlassUsersExceptProtected',
      Effect: 'Deny',
      Action: userActions,
      Resource: breakGlassUsers,
      Condition: notProtected(settings),
    },
    {
      Sid: 'DenyRegionOptIn',
      Effect: 'Deny',
      Action: ['account:EnableRegion', 'account:DisableRegion'],
      Resource: '*',
      Condition: notProtected(settings),
    },
    {
      // Organizations creates this role with AdministratorAccess, trusting the management account's root, and the
      // SCPs except it: without this statement any management-account admin would be an unguarded admin of every
      // member. With it, the role acts only in an MFA session, like break-glass (ADR 0046).
      Sid: 'OrgAccessRoleOnlyWithMfa',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: {
        ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${settings.orgAccessRoleName}` },
        BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' },
      },
    },
  ]);
}

function protectSecurityServices(settings: GuardrailSettings): PolicyDocumentJson {
  const guarded = (Sid: string, Action: string[], Resource: string | string[] = '*'): PolicyStatementJson => ({
    Sid,
    Effect: 'Deny',
    Action,
    Resource,
    Condition: notProtected(settings, settings.securityAutomationArns),
  });
  return policyDocument([
    guarded('ProtectCloudTrail', [
      'cloudtrail:StopLogging',
      'cloudtrail:DeleteTrail',
      'cloudtrail:UpdateTrail',
      'cloudtrail:PutEventSelectors',
    ]),
    guarded('ProtectConfig', [
      'config:StopConfigurationRecorder',
      'config:DeleteConfigurationRecorder',
      'config:PutConfigurationRecorder',
      'config:DeleteDeliveryChannel',
      'config:PutDeliveryChannel',
      'config:DeleteRetentionConfiguration',
    ]),
    guarded('ProtectGuardDuty', [
      'guardduty:DeleteDetector',
      'guardduty:UpdateDetector',
      'guardduty:DisassociateFromAdministratorAccount',
      'guardduty:DisassociateFromMasterAccount',
      'guardduty:StopMonitoringMembers',
      'guardduty:DeletePublishingDestination',
    ]),
    guarded('ProtectSecurityHub', [
      'securityhub:DisableSecurityHub',
      'securityhub:DisassociateFromAdministratorAccount',
      'securityhub:DisassociateFromMasterAccount',
      'securityhub:BatchDisableStandards',
    ]),
    guarded('ProtectAccessAnalyzer', ['access-analyzer:DeleteAnalyzer']),
    // VPC flow logs are the network evidence GuardDuty and an investigation rely on (requirement NET-3).
    guarded('ProtectFlowLogs', ['ec2:DeleteFlowLogs']),
    {
      // The member baseline's enforcer switches it on (ADR 0045); nobody else switches it off.
      ...guarded('ProtectAccountBlockPublicAccess', ['s3:PutAccountPublicAccessBlock']),
      Condition: notProtected(settings, [...settings.securityAutomationArns, ...settings.guardrailEnforcerArns]),
    },
    guarded(
      'ProtectGuardrailRoles',
      [
        'iam:AttachRolePolicy',
        'iam:DeleteRole',
        'iam:DeleteRolePermissionsBoundary',
        'iam:DeleteRolePolicy',
        'iam:DetachRolePolicy',
        'iam:PutRolePermissionsBoundary',
        'iam:PutRolePolicy',
        'iam:UpdateAssumeRolePolicy',
        'iam:UpdateRole',
        // Passing the enforcer's role to a new function would borrow its exceptions.
        'iam:PassRole',
        // Its function runs with those exceptions: its code and environment are the baseline's alone.
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
      ],
      [...settings.protectedRoleArns, settings.guardrailEnforcerFunctionArn],
    ),
  ]);
}

function restrictRegions(settings: GuardrailSettings): PolicyDocumentJson {
  return policyDocument([
    {
      Sid: 'DenyOutsideAllowedRegions',
      Effect: 'Deny',
      NotAction: [...GLOBAL_SERVICE_ACTIONS],
      Resource: '*',
      Condition: {
        StringNotEquals: { 'aws:RequestedRegion': settings.allowedRegions },
        ...notProtected(settings),
      },
    },
  ]);
}

function protectData(settings: GuardrailSettings): PolicyDocumentJson {
  return policyDocument([
    {
      // IfExists: a CreateDBInstance that does not ask for encryption gets none, so a missing key is denied too.
      Sid: 'DenyUnencryptedRds',
      Effect: 'Deny',
      Action: ['rds:CreateDBInstance', 'rds:CreateDBCluster'],
      Resource: '*',
      Condition: { BoolIfExists: { 'rds:StorageEncrypted': 'false' } },
    },
    {
      // The member baseline's enforcer sets the configured CMK as the default (ADR 0045); nobody else changes it.
      Sid: 'DenyEbsEncryptionOff',
      Effect: 'Deny',
      Action: ['ec2:DisableEbsEncryptionByDefault', 'ec2:ModifyEbsDefaultKmsKeyId', 'ec2:ResetEbsDefaultKmsKeyId'],
      Resource: '*',
      Condition: notProtected(settings, settings.guardrailEnforcerArns),
    },
    {
      // The copies outside every workload account (ADR 0047): its vault policy and lock change only through a
      // reviewed deploy, and nobody else deletes or shortens a copy (the vault's own policy denies that to all).
      Sid: 'ProtectBackupCopies',
      Effect: 'Deny',
      Action: [
        'backup:DeleteBackupVault',
        'backup:DeleteBackupVaultAccessPolicy',
        'backup:PutBackupVaultAccessPolicy',
        'backup:DeleteBackupVaultLockConfiguration',
        'backup:PutBackupVaultLockConfiguration',
        'backup:DeleteRecoveryPoint',
        'backup:UpdateRecoveryPointLifecycle',
      ],
      Resource: settings.backupCopiesArns,
      Condition: notProtected(settings, settings.deployRoleArns),
    },
    {
      Sid: 'RequireImdsV2',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: 'arn:aws:ec2:*:*:instance/*',
      Condition: { StringNotEquals: { 'ec2:MetadataHttpTokens': 'required' } },
    },
    {
      // Launch templates set IMDSv2 at launch; changing it afterwards is only a way back to IMDSv1.
      Sid: 'DenyImdsChanges',
      Effect: 'Deny',
      Action: 'ec2:ModifyInstanceMetadataOptions',
      Resource: '*',
      Condition: notProtected(settings),
    },
    {
      Sid: 'DenyExternalResourceShares',
      Effect: 'Deny',
      Action: ['ram:CreateResourceShare', 'ram:UpdateResourceShare'],
      Resource: '*',
      Condition: { Bool: { 'ram:RequestedAllowsExternalPrincipals': 'true' } },
    },
  ]);
}

/** Resources whose creation must carry the cost tags: the ones that cost money in this platform (requirement COST-1). */
const COST_TAGGED_CREATIONS = {
  Action: [
    'ec2:RunInstances',
    'ec2:CreateVolume',
    'rds:CreateDBInstance',
    'rds:CreateDBCluster',
    'elasticloadbalancing:CreateLoadBalancer',
    'dynamodb:CreateTable',
  ],
  Resource: [
    'arn:aws:ec2:*:*:instance/*',
    'arn:aws:ec2:*:*:volume/*',
    'arn:aws:rds:*:*:db:*',
    'arn:aws:rds:*:*:cluster:*',
    'arn:aws:elasticloadbalancing:*:*:loadbalancer/*',
    'arn:aws:dynamodb:*:*:table/*',
  ],
};

function requireCostTags(settings: GuardrailSettings): PolicyDocumentJson {
  const perKey = settings.costTagKeys.flatMap((key): PolicyStatementJson[] => {
    const Sid = `RequireTag${key
      .split('-')
      .map((part) => part[0]?.toUpperCase() + part.slice(1))
      .join('')}`;
    const Condition = { Null: { [`aws:RequestTag/${key}`]: 'true' } };
    return [
      { Sid, Effect: 'Deny', ...COST_TAGGED_CREATIONS, Condition },
      // eks:CreateCluster authorizes against no resource type ("*"): a cluster ARN in Resource never matches it.
      { Sid: `${Sid}OnEks`, Effect: 'Deny', Action: 'eks:CreateCluster', Resource: '*', Condition },
    ];
  });
  return policyDocument([
    ...perKey,
    {
      Sid: 'DenyRemovingCostTags',
      Effect: 'Deny',
      Action: [
        'ec2:DeleteTags',
        'rds:RemoveTagsFromResource',
        'eks:UntagResource',
        'elasticloadbalancing:RemoveTags',
        'dynamodb:UntagResource',
      ],
      Resource: '*',
      Condition: {
        'ForAnyValue:StringEquals': { 'aws:TagKeys': [...settings.costTagKeys] },
        ...notProtected(settings),
      },
    },
  ]);
}

function protectProduction(settings: GuardrailSettings): PolicyDocumentJson {
  return policyDocument([
    {
      Sid: 'DenyKeyDeletion',
      Effect: 'Deny',
      Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey'],
      Resource: '*',
      Condition: notProtected(settings),
    },
    {
      // No IAM condition key carries the backup retention or deletion protection of a ModifyDBInstance request, so
      // the database, key policies and vault policies change only through a reviewed deploy (ADR 0040).
      Sid: 'DenyDataChangesOutsideDeploys',
      Effect: 'Deny',
      Action: ['rds:ModifyDBInstance', 'rds:DeleteDBInstance', 'kms:PutKeyPolicy', 'backup:PutBackupVaultAccessPolicy'],
      Resource: '*',
      Condition: notProtected(settings, settings.deployRoleArns),
    },
    {
      Sid: 'DenyBackupDeletion',
      Effect: 'Deny',
      Action: [
        'rds:DeleteDBSnapshot',
        'rds:DeleteDBClusterSnapshot',
        'rds:DeleteDBInstanceAutomatedBackup',
        'backup:DeleteRecoveryPoint',
        'backup:DeleteBackupVault',
        'backup:DeleteBackupVaultLockConfiguration',
        // Removing the vault's deny, or shortening a recovery point's life, is deletion by other means.
        'backup:DeleteBackupVaultAccessPolicy',
        'backup:UpdateRecoveryPointLifecycle',
      ],
      Resource: '*',
      Condition: notProtected(settings),
    },
    {
      // Requirement DB-4: people reach production data only through the audited, time-limited data-access role.
      Sid: 'DenyHumanDbAccessOutsideDataAccessRole',
      Effect: 'Deny',
      Action: 'rds-db:connect',
      Resource: '*',
      Condition: {
        ArnLike: { 'aws:PrincipalArn': settings.ssoRoleArnPattern },
        ArnNotLike: { 'aws:PrincipalArn': settings.prodDataAccessRoleArnPattern },
      },
    },
  ]);
}
