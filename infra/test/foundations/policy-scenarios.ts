/**
 * The scenario table: who does what, where, with which context, and what AWS must decide. Every principal, account
 * and name comes from config; every policy evaluated comes from the synthesized templates (policy-set.ts).
 */
import { permissionSetName } from '../../lib/foundations/guardrail-settings.ts';
import { logArchiveNames } from '../../lib/foundations/log-archive-names.ts';
import { ACTION_SCENARIOS } from './action-scenarios.ts';
import { BACKUP_COPIES_SCENARIOS } from './backup-copies-scenarios.ts';
import { ADMIN, type PolicyJson, type Scenario } from './policy-simulator.ts';
import { accounts, config, foundations } from './synthesized.ts';

const id = (key: Parameters<typeof accounts.get>[0]) => accounts.get(key).id;
const [prod, dev, security, management] = [id('prod'), id('dev'), id('security'), id('foundations')];
const names = logArchiveNames(config);
const orgId = foundations.organizationId;
const { breakGlassRoleName, orgAutomationRoleName } = foundations.protectedRoles;

const sso = (account: string, set: Parameters<typeof permissionSetName>[1]) =>
  `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${permissionSetName(config, set)}_0123456789abcdef`;
const deployer = (account: string, region = 'us-east-1') =>
  `arn:aws:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-${region}`;
const breakGlass = (account: string) => `arn:aws:iam::${account}:role/${breakGlassRoleName}`;
const orgAutomation = (account: string) => `arn:aws:iam::${account}:role/${orgAutomationRoleName}`;

const costTags = (omit?: string) =>
  Object.fromEntries(
    Object.entries({ env: 'prod', app: 'innovate', owner: 'platform-team', 'cost-center': 'cc-1300' })
      .filter(([key]) => key !== omit)
      .map(([key, value]) => [`aws:RequestTag/${key}`, value]),
  );
const tagKeys = (omit?: string) => ['env', 'app', 'owner', 'cost-center'].filter((key) => key !== omit);

const prodInstance = (region = 'us-east-1') => `arn:aws:ec2:${region}:${prod}:instance/i-0123456789abcdef0`;
const prodDb = `arn:aws:rds:us-east-1:${prod}:db:innovate-prod`;
const runInstances = (principal: string, region: string, extra: Record<string, string> = {}): Partial<Scenario> => ({
  principal,
  scpAccount: 'prod',
  identityPolicies: [ADMIN],
  action: 'ec2:RunInstances',
  resource: prodInstance(region),
  resourceAccount: prod,
  context: { ...costTags(), 'aws:TagKeys': tagKeys(), 'ec2:MetadataHttpTokens': 'required', ...extra },
});
const createDb = (principal: string, context: Record<string, string | string[]>): Partial<Scenario> => ({
  principal,
  scpAccount: 'prod',
  identityPolicies: [ADMIN],
  action: 'rds:CreateDBInstance',
  resource: prodDb,
  resourceAccount: prod,
  context: { 'rds:StorageEncrypted': 'true', ...context },
});
const asAdmin = (principal: string, scpAccount: string, action: string, resource: string, resourceAccount: string) => ({
  principal,
  scpAccount,
  identityPolicies: [ADMIN],
  action,
  resource,
  resourceAccount,
});

const logObject = `arn:aws:s3:::${names.cloudTrailBucket}/AWSLogs/${orgId}/${prod}/CloudTrail/us-east-1/2026/11/28/x.json.gz`;
const archive = id('logArchive');
const trailKey = `arn:aws:kms:us-east-1:${archive}:key/trail`;
const configKey = `arn:aws:kms:us-east-1:${archive}:key/config`;
const readTrailLogs: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 's3:GetObject'], Resource: '*' }],
};
const idc = foundations.identityCenter;
const dbUser = `arn:aws:rds-db:us-east-1:${prod}:dbuser:db-ABCDEFGHIJKL/${idc.prodDataAccessDbUser}`;
const masterDbUser = `arn:aws:rds-db:us-east-1:${prod}:dbuser:db-ABCDEFGHIJKL/postgres`;
/** Stand-ins for the AWS managed policies the permission sets attach (their documented effect). */
const POWER_USER: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }],
};
const breakGlassUser = `arn:aws:iam::${management}:user${foundations.breakGlassUserPath}oncall`;
const assumeAnyRole: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
};
const costTopic = `arn:aws:sns:us-east-1:${management}:${config.organization.tags.app}-cost-alerts`;
const costKey = `arn:aws:kms:us-east-1:${management}:key/cost`;
const dbSecret = (name: string) => `arn:aws:secretsmanager:us-east-1:${prod}:secret:${name}-AbCdEf`;

// --- the doors around ADR 0043 (cluster, nodes, deployed functions, master password, sign-in) ---
const prodNames = config.environment('prod').names;
const role = (name: string) => `arn:aws:iam::${prod}:role/${name}`;
const node = `arn:aws:ec2:us-east-1:${prod}:instance/i-0123456789abcdef0`;
const document = (name: string) => `arn:aws:ssm:us-east-1:${prod}:document/${name}`;
const asDevops = (action: string, resource: string, extra: Partial<Scenario> = {}): Scenario =>
  ({
    principal: sso(prod, 'devops'),
    scpAccount: 'prod',
    identityPolicies: [POWER_USER],
    permissionSet: permissionSetName(config, 'devops'),
    action,
    resource,
    resourceAccount: prod,
    ...extra,
  }) as Scenario;
const asClusterAdmin = (action: string, resource: string, extra: Partial<Scenario> = {}): Scenario =>
  ({
    principal: sso(prod, 'clusterAdmin'),
    scpAccount: 'prod',
    permissionSet: permissionSetName(config, 'clusterAdmin'),
    action,
    resource,
    resourceAccount: prod,
    ...extra,
  }) as Scenario;
/** Another role of the prod account that may call sts:AssumeRole on anything (what the account root trusted). */
const anotherRole = `arn:aws:iam::${prod}:role/some-workload`;

const DOORS: Scenario[] = [
  {
    ...asDevops('secretsmanager:PutSecretValue', dbSecret(prodNames.databaseSecretName)),
    name: 'devops cannot put a pending database password (the next rotation would set it)',
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('rds:ModifyDBInstance', prodDb),
    name: 'devops cannot modify the database instance (a new master password)',
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('eks:CreateAccessEntry', `arn:aws:eks:us-east-1:${prod}:cluster/${prodNames.clusterName}`),
    name: 'devops cannot add an access entry to the cluster',
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('ssm:SendCommand', node),
    name: 'devops cannot run a command on a node',
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('ssm:StartSession', document('SSM-SessionManagerRunShell')),
    name: 'devops cannot open a shell on a node',
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('ssm:StartSession', node),
    name: 'devops cannot start a session on a node without the document check',
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('ssm:StartSession', node, { context: { 'ssm:SessionDocumentAccessCheck': 'true' } }),
    name: 'devops may target a node when the document is checked',
    expected: 'Allowed',
  },
  {
    ...asDevops('ssm:StartSession', document(prodNames.clusterEndpointTunnelDocumentName)),
    name: 'devops may open the tunnel to the cluster endpoint',
    expected: 'Allowed',
  },
  {
    ...asDevops(
      'lambda:UpdateFunctionCode',
      `arn:aws:lambda:us-east-1:${prod}:function:${prodNames.prefix}-cluster-EksClusterKubectlProviderHandl-AbC123`,
    ),
    name: "devops cannot replace the kubectl provider handler's code",
    expected: 'ExplicitlyDenied',
  },
  {
    // CDK names a rotation application's function after the construct path, without hyphens.
    ...asDevops(
      'lambda:UpdateFunctionCode',
      `arn:aws:lambda:us-east-1:${prod}:function:${prodNames.prefix.replaceAll('-', '')}dataPostgresInstanceRotationSingleUser126AD186`,
    ),
    name: "devops cannot replace the master password's rotation function",
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('sts:AssumeRole', role(prodNames.clusterAdminRoleName), { resourcePolicy: 'clusterAdminTrust' }),
    identityPolicies: [assumeAnyRole],
    name: 'devops cannot assume the cluster-admin role',
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('sts:AssumeRole', role('cdk-hnb659fds-deploy-role-100000000013-us-east-1')),
    name: 'devops cannot assume the CDK deploy role',
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('sts:AssumeRole', role('cdk-hnb659fds-lookup-role-100000000013-us-east-1')),
    name: 'devops may assume the CDK lookup role (cdk diff)',
    expected: 'Allowed',
  },
  {
    ...asDevops('sts:AssumeRole', role(prodNames.clusterViewerRoleName), { resourcePolicy: 'clusterViewerTrust' }),
    name: 'devops assumes the cluster-viewer role',
    expected: 'Allowed',
  },
  {
    ...asDevops('ssm:PutParameter', `arn:aws:ssm:us-east-1:${prod}:parameter${prodNames.authIssuerParameterName}`),
    name: "devops cannot repoint the API's token issuer",
    expected: 'ExplicitlyDenied',
  },
  {
    ...asDevops('ssm:GetParameter', `arn:aws:ssm:us-east-1:${prod}:parameter${prodNames.authIssuerParameterName}`),
    name: "devops can read the API's token issuer",
    expected: 'Allowed',
  },
  {
    ...asDevops('cognito-idp:AdminSetUserPassword', `arn:aws:cognito-idp:us-east-1:${prod}:userpool/us-east-1_AbC`),
    name: "devops cannot set a user's password",
    expected: 'ExplicitlyDenied',
  },
  {
    ...asClusterAdmin('sts:AssumeRole', role(prodNames.clusterAdminRoleName), { resourcePolicy: 'clusterAdminTrust' }),
    name: 'the cluster-admin Identity Center role assumes the cluster-admin role',
    expected: 'Allowed',
  },
  {
    principal: anotherRole,
    identityPolicies: [assumeAnyRole],
    action: 'sts:AssumeRole',
    resource: role(prodNames.clusterAdminRoleName),
    resourceAccount: prod,
    resourcePolicy: 'clusterAdminTrust',
    name: 'no other role of the account assumes the cluster-admin role (the root is not trusted)',
    expected: 'ImplicitlyDenied',
  },
  {
    principal: anotherRole,
    identityPolicies: [assumeAnyRole],
    action: 'sts:AssumeRole',
    resource: role(prodNames.clusterViewerRoleName),
    resourceAccount: prod,
    resourcePolicy: 'clusterViewerTrust',
    name: 'no other role of the account assumes the cluster-viewer role',
    expected: 'ImplicitlyDenied',
  },
  {
    ...asClusterAdmin('eks:DescribeCluster', `arn:aws:eks:us-east-1:${prod}:cluster/${prodNames.clusterName}`),
    name: 'cluster-admin finds the cluster',
    expected: 'Allowed',
  },
  {
    ...asClusterAdmin('ssm:StartSession', node, {
      context: { 'ssm:resourceTag/eks:nodegroup-name': `${prodNames.clusterName}-system` },
    }),
    name: 'cluster-admin opens a session on a system node',
    expected: 'Allowed',
  },
  {
    ...asClusterAdmin('ssm:StartSession', node, {
      context: { 'ssm:resourceTag/karpenter.sh/nodepool': 'general' },
    }),
    name: 'cluster-admin cannot open a session on a Karpenter node',
    expected: 'ImplicitlyDenied',
  },
  {
    ...asClusterAdmin('ssm:TerminateSession', `arn:aws:ssm:us-east-1:${prod}:session/AROAEXAMPLE:alice-0a1b2c3d4e`, {
      context: { 'aws:userid': 'AROAEXAMPLE:alice' },
    }),
    name: 'cluster-admin ends its own session',
    expected: 'Allowed',
  },
  {
    ...asClusterAdmin('ssm:TerminateSession', `arn:aws:ssm:us-east-1:${prod}:session/AROAEXAMPLE:bob-0a1b2c3d4e`, {
      context: { 'aws:userid': 'AROAEXAMPLE:alice' },
    }),
    name: "cluster-admin cannot end someone else's session",
    expected: 'ImplicitlyDenied',
  },
  {
    ...asClusterAdmin('ssm:StartSession', document('SSM-SessionManagerRunShell')),
    name: 'cluster-admin uses the shell document',
    expected: 'Allowed',
  },
  {
    ...asClusterAdmin('kms:GenerateDataKey', `arn:aws:kms:us-east-1:${prod}:key/sessions`, {
      resourcePolicy: 'sessionKey',
      context: { 'kms:ResourceAliases': [`alias/${prodNames.prefix}-ssm-sessions`] },
    }),
    name: 'cluster-admin encrypts its session with the session key',
    expected: 'Allowed',
  },
  {
    principal: sso(prod, 'breakGlass'),
    scpAccount: 'prod',
    identityPolicies: [ADMIN],
    permissionSet: permissionSetName(config, 'breakGlass'),
    action: 'ec2:TerminateInstances',
    resource: prodInstance(),
    resourceAccount: prod,
    name: 'the break-glass permission set is denied in a session that carries no MFA key at all',
    expected: 'ExplicitlyDenied',
  },
];

export const SCENARIOS: Scenario[] = [
  // --- regions (innovate-restrict-regions) ---
  {
    name: 'prod devops cannot run an instance in eu-west-1',
    ...runInstances(sso(prod, 'devops'), 'eu-west-1'),
    expected: 'ExplicitlyDenied',
  } as Scenario,
  {
    name: 'the deploy role runs a tagged IMDSv2 instance in us-east-1',
    ...runInstances(deployer(prod), 'us-east-1'),
    expected: 'Allowed',
  } as Scenario,
  {
    name: 'the deploy role runs a tagged instance in the DR region us-west-2',
    ...runInstances(deployer(prod, 'us-west-2'), 'us-west-2'),
    expected: 'Allowed',
  } as Scenario,
  {
    name: 'prod devops can call IAM from eu-west-1 (global service)',
    ...asAdmin(sso(prod, 'devops'), 'prod', 'iam:CreateRole', `arn:aws:iam::${prod}:role/app`, prod),
    context: { 'aws:RequestedRegion': 'eu-west-1' },
    expected: 'Allowed',
  },
  {
    name: 'prod devops can call CloudFront from eu-west-1 (global service)',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'cloudfront:CreateInvalidation',
      `arn:aws:cloudfront::${prod}:distribution/E123`,
      prod,
    ),
    context: { 'aws:RequestedRegion': 'eu-west-1' },
    expected: 'Allowed',
  },
  {
    name: 'prod devops can call Route 53 from eu-west-1 (global service)',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'route53:ChangeResourceRecordSets',
      'arn:aws:route53:::hostedzone/Z123',
      prod,
    ),
    context: { 'aws:RequestedRegion': 'eu-west-1' },
    expected: 'Allowed',
  },
  {
    name: 'break-glass is excepted from the region guardrail by condition',
    ...runInstances(breakGlass(prod), 'eu-west-1'),
    expected: 'Allowed',
  } as Scenario,

  // --- security services (innovate-protect-security-services) ---
  {
    name: 'prod devops cannot StopLogging',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'cloudtrail:StopLogging',
      `arn:aws:cloudtrail:us-east-1:${prod}:trail/any`,
      prod,
    ),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'prod devops cannot stop the Config recorder',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'config:StopConfigurationRecorder',
      `arn:aws:config:us-east-1:${prod}:configuration-recorder/default/abc`,
      prod,
    ),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'prod devops cannot DeleteDetector',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'guardduty:DeleteDetector',
      `arn:aws:guardduty:us-east-1:${prod}:detector/abc`,
      prod,
    ),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'prod devops cannot disable Security Hub',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'securityhub:DisableSecurityHub',
      `arn:aws:securityhub:us-east-1:${prod}:hub/default`,
      prod,
    ),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'prod devops cannot delete an Access Analyzer',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'access-analyzer:DeleteAnalyzer',
      `arn:aws:access-analyzer:us-east-1:${prod}:analyzer/org`,
      prod,
    ),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'prod devops cannot remove account Block Public Access',
    ...asAdmin(sso(prod, 'devops'), 'prod', 's3:PutAccountPublicAccessBlock', '*', prod),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'break-glass can change account Block Public Access (excepted by condition)',
    ...asAdmin(breakGlass(prod), 'prod', 's3:PutAccountPublicAccessBlock', '*', prod),
    expected: 'Allowed',
  },
  {
    name: 'the security account deployer can update its GuardDuty detector',
    ...asAdmin(
      deployer(security),
      'security',
      'guardduty:UpdateDetector',
      `arn:aws:guardduty:us-east-1:${security}:detector/abc`,
      security,
    ),
    expected: 'Allowed',
  },
  {
    name: 'a workload deployer cannot update GuardDuty',
    ...asAdmin(
      deployer(prod),
      'prod',
      'guardduty:UpdateDetector',
      `arn:aws:guardduty:us-east-1:${prod}:detector/abc`,
      prod,
    ),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'prod devops cannot rewrite the break-glass role',
    ...asAdmin(sso(prod, 'devops'), 'prod', 'iam:PutRolePolicy', breakGlass(prod), prod),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'prod devops can edit an application role',
    ...asAdmin(sso(prod, 'devops'), 'prod', 'iam:PutRolePolicy', `arn:aws:iam::${prod}:role/innovate-prod-api`, prod),
    expected: 'Allowed',
  },

  {
    name: 'prod devops cannot delete the VPC flow logs',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'ec2:DeleteFlowLogs',
      `arn:aws:ec2:us-east-1:${prod}:vpc-flow-log/fl-0abc`,
      prod,
    ),
    expected: 'ExplicitlyDenied',
  },

  // --- identity and organization (innovate-identity-and-organization) ---
  {
    name: 'the root user of a member account is denied everything',
    ...asAdmin(`arn:aws:iam::${prod}:root`, 'prod', 's3:ListAllMyBuckets', '*', prod),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'a member account cannot leave the organization',
    ...asAdmin(sso(prod, 'devops'), 'prod', 'organizations:LeaveOrganization', '*', prod),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'no IAM user outside the break-glass path',
    ...asAdmin(sso(dev, 'devops'), 'dev', 'iam:CreateUser', `arn:aws:iam::${dev}:user/alice`, dev),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'no access keys for users outside the break-glass path',
    ...asAdmin(sso(dev, 'devops'), 'dev', 'iam:CreateAccessKey', `arn:aws:iam::${dev}:user/ci-bot`, dev),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'devops cannot create a break-glass user',
    ...asAdmin(
      sso(dev, 'devops'),
      'dev',
      'iam:CreateUser',
      `arn:aws:iam::${dev}:user${foundations.breakGlassUserPath}eve`,
      dev,
    ),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'the org automation role can create a break-glass user in an MFA session',
    ...asAdmin(
      orgAutomation(dev),
      'dev',
      'iam:CreateUser',
      `arn:aws:iam::${dev}:user${foundations.breakGlassUserPath}oncall`,
      dev,
    ),
    context: { 'aws:MultiFactorAuthPresent': 'true' },
    expected: 'Allowed',
  },
  {
    name: 'OrganizationAccountAccessRole does nothing without MFA (a management admin is not a member admin)',
    ...asAdmin(orgAutomation(prod), 'prod', 'ec2:TerminateInstances', prodInstance(), prod),
    context: { 'aws:MultiFactorAuthPresent': 'false' },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'OrganizationAccountAccessRole does nothing in a session that carries no MFA key',
    ...asAdmin(orgAutomation(prod), 'prod', 'ec2:TerminateInstances', prodInstance(), prod),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'devops cannot opt the account into another region',
    ...asAdmin(sso(dev, 'devops'), 'dev', 'account:EnableRegion', `arn:aws:account::${dev}:account`, dev),
    context: { 'account:TargetRegion': 'eu-west-1' },
    expected: 'ExplicitlyDenied',
  },

  // --- data protection (innovate-protect-data) ---
  {
    name: 'the deploy role can create a tagged, encrypted RDS instance',
    ...createDb(deployer(prod), { ...costTags(), 'aws:TagKeys': tagKeys() }),
    expected: 'Allowed',
  } as Scenario,
  {
    name: 'no unencrypted RDS instance',
    ...createDb(deployer(prod), { ...costTags(), 'aws:TagKeys': tagKeys(), 'rds:StorageEncrypted': 'false' }),
    expected: 'ExplicitlyDenied',
  } as Scenario,
  {
    name: 'devops cannot turn off EBS encryption by default',
    ...asAdmin(sso(dev, 'devops'), 'dev', 'ec2:DisableEbsEncryptionByDefault', '*', dev),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'no instance without IMDSv2',
    ...runInstances(deployer(prod), 'us-east-1', { 'ec2:MetadataHttpTokens': 'optional' }),
    expected: 'ExplicitlyDenied',
  } as Scenario,
  {
    name: 'no resource share with principals outside the organization',
    ...asAdmin(sso(dev, 'devops'), 'dev', 'ram:CreateResourceShare', '*', dev),
    context: { 'ram:RequestedAllowsExternalPrincipals': 'true' },
    expected: 'ExplicitlyDenied',
  },

  // --- cost tags (innovate-require-cost-tags, workloads OU) ---
  ...(['env', 'app', 'owner', 'cost-center'] as const).map(
    (missing) =>
      ({
        name: `no RDS instance without the ${missing} tag`,
        ...createDb(deployer(prod), { ...costTags(missing), 'aws:TagKeys': tagKeys(missing) }),
        expected: 'ExplicitlyDenied',
      }) as Scenario,
  ),
  {
    name: 'an untagged instance in the security account is not a workload (tag SCP is on the workloads OU)',
    ...asAdmin(
      deployer(security),
      'security',
      'ec2:RunInstances',
      `arn:aws:ec2:us-east-1:${security}:instance/i-0abc`,
      security,
    ),
    context: { 'ec2:MetadataHttpTokens': 'required' },
    expected: 'Allowed',
  },
  {
    name: 'devops cannot remove a cost tag',
    ...asAdmin(sso(dev, 'devops'), 'dev', 'ec2:DeleteTags', `arn:aws:ec2:us-east-1:${dev}:instance/i-0abc`, dev),
    context: { 'aws:TagKeys': ['cost-center'] },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'devops can remove a tag that is not a cost tag',
    ...asAdmin(sso(dev, 'devops'), 'dev', 'ec2:DeleteTags', `arn:aws:ec2:us-east-1:${dev}:instance/i-0abc`, dev),
    context: { 'aws:TagKeys': ['Name'] },
    expected: 'Allowed',
  },

  // --- production (innovate-protect-production, prod OU) ---
  {
    name: 'prod devops cannot schedule a key deletion',
    ...asAdmin(sso(prod, 'devops'), 'prod', 'kms:ScheduleKeyDeletion', `arn:aws:kms:us-east-1:${prod}:key/abc`, prod),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'dev devops can delete a database snapshot (production-only guardrail)',
    ...asAdmin(sso(dev, 'devops'), 'dev', 'rds:DeleteDBSnapshot', `arn:aws:rds:us-east-1:${dev}:snapshot:nightly`, dev),
    expected: 'Allowed',
  },
  {
    name: 'prod devops cannot delete a database snapshot',
    ...asAdmin(
      sso(prod, 'devops'),
      'prod',
      'rds:DeleteDBSnapshot',
      `arn:aws:rds:us-east-1:${prod}:snapshot:nightly`,
      prod,
    ),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'break-glass can delete a database snapshot (excepted by condition)',
    ...asAdmin(
      breakGlass(prod),
      'prod',
      'rds:DeleteDBSnapshot',
      `arn:aws:rds:us-east-1:${prod}:snapshot:nightly`,
      prod,
    ),
    expected: 'Allowed',
  },
  {
    name: 'prod devops cannot connect to the database',
    ...asAdmin(sso(prod, 'devops'), 'prod', 'rds-db:connect', dbUser, prod),
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'the audited data-access role can connect to the database',
    principal: sso(prod, 'prodDataAccess'),
    scpAccount: 'prod',
    permissionSet: permissionSetName(config, 'prodDataAccess'),
    action: 'rds-db:connect',
    resource: dbUser,
    resourceAccount: prod,
    expected: 'Allowed',
  },

  {
    name: 'devops cannot make a bucket public: account Block Public Access cannot be lifted',
    ...asAdmin(sso(dev, 'devops'), 'dev', 's3:PutAccountPublicAccessBlock', '*', dev),
    expected: 'ExplicitlyDenied',
  },

  // --- log archive bucket policy ---
  {
    name: "CloudTrail writes this organization's logs",
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource: logObject,
    resourceAccount: archive,
    resourcePolicy: 'cloudTrailBucket',
    context: { 'aws:SourceOrgID': orgId, 'aws:SourceArn': names.trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' },
    expected: 'Allowed',
  },
  {
    name: 'CloudTrail cannot write for another organization',
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource: logObject,
    resourceAccount: archive,
    resourcePolicy: 'cloudTrailBucket',
    context: {
      'aws:SourceOrgID': 'o-zzzzzzzzzz',
      'aws:SourceArn': names.trailArn,
      's3:x-amz-acl': 'bucket-owner-full-control',
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'CloudTrail cannot write for another trail',
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource: logObject,
    resourceAccount: archive,
    resourcePolicy: 'cloudTrailBucket',
    context: {
      'aws:SourceOrgID': orgId,
      'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${prod}:trail/rogue`,
      's3:x-amz-acl': 'bucket-owner-full-control',
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: "CloudTrail checks the log bucket ACL for this organization's trail",
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:GetBucketAcl',
    resource: `arn:aws:s3:::${names.cloudTrailBucket}`,
    resourceAccount: archive,
    resourcePolicy: 'cloudTrailBucket',
    context: { 'aws:SourceOrgID': orgId, 'aws:SourceArn': names.trailArn },
    expected: 'Allowed',
  },
  {
    name: 'CloudTrail over plain HTTP is refused (TLS only)',
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource: logObject,
    resourceAccount: archive,
    resourcePolicy: 'cloudTrailBucket',
    context: {
      'aws:SourceOrgID': orgId,
      'aws:SourceArn': names.trailArn,
      's3:x-amz-acl': 'bucket-owner-full-control',
      'aws:SecureTransport': 'false',
    },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'a log-archive admin cannot delete a locked log object',
    principal: `arn:aws:iam::${archive}:role/Admin`,
    scpAccount: 'logArchive',
    identityPolicies: [ADMIN],
    action: 's3:DeleteObjectVersion',
    resource: logObject,
    resourceAccount: archive,
    resourcePolicy: 'cloudTrailBucket',
    expected: 'ExplicitlyDenied',
  },
  {
    name: "a log-archive admin cannot shorten a log object's retention",
    principal: `arn:aws:iam::${archive}:role/Admin`,
    scpAccount: 'logArchive',
    identityPolicies: [ADMIN],
    action: 's3:PutObjectRetention',
    resource: logObject,
    resourceAccount: archive,
    resourcePolicy: 'cloudTrailBucket',
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'TLS older than 1.2 is refused on the log bucket',
    principal: `arn:aws:iam::${archive}:role/Admin`,
    scpAccount: 'logArchive',
    identityPolicies: [ADMIN],
    action: 's3:GetObject',
    resource: logObject,
    resourceAccount: archive,
    resourcePolicy: 'cloudTrailBucket',
    context: { 's3:TlsVersion': '1.1' },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'AWS Config of this organization delivers to the Config bucket',
    principal: 'config.amazonaws.com',
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${names.configBucket}/AWSLogs/${prod}/Config/us-east-1/x.json.gz`,
    resourceAccount: archive,
    resourcePolicy: 'configBucket',
    context: { 'aws:SourceOrgID': orgId, 's3:x-amz-acl': 'bucket-owner-full-control' },
    expected: 'Allowed',
  },
  {
    name: 'AWS Config of this organization checks the Config bucket',
    principal: 'config.amazonaws.com',
    action: 's3:GetBucketAcl',
    resource: `arn:aws:s3:::${names.configBucket}`,
    resourceAccount: archive,
    resourcePolicy: 'configBucket',
    context: { 'aws:SourceOrgID': orgId },
    expected: 'Allowed',
  },
  {
    name: 'AWS Config of another organization cannot deliver',
    principal: 'config.amazonaws.com',
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${names.configBucket}/AWSLogs/999999999999/Config/us-east-1/x.json.gz`,
    resourceAccount: archive,
    resourcePolicy: 'configBucket',
    context: { 'aws:SourceOrgID': 'o-zzzzzzzzzz', 's3:x-amz-acl': 'bucket-owner-full-control' },
    expected: 'ImplicitlyDenied',
  },

  {
    name: 'AWS Config over plain HTTP is refused (TLS only)',
    principal: 'config.amazonaws.com',
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${names.configBucket}/AWSLogs/${prod}/Config/us-east-1/x.json.gz`,
    resourceAccount: archive,
    resourcePolicy: 'configBucket',
    context: { 'aws:SourceOrgID': orgId, 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SecureTransport': 'false' },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'TLS older than 1.2 is refused on the Config bucket',
    principal: `arn:aws:iam::${archive}:role/Admin`,
    scpAccount: 'logArchive',
    identityPolicies: [ADMIN],
    action: 's3:GetObject',
    resource: `arn:aws:s3:::${names.configBucket}/AWSLogs/${prod}/Config/x.json.gz`,
    resourceAccount: archive,
    resourcePolicy: 'configBucket',
    context: { 's3:TlsVersion': '1.1' },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'AWS Config of this organization encrypts with the Config key',
    principal: 'config.amazonaws.com',
    action: 'kms:GenerateDataKey',
    resource: configKey,
    resourceAccount: archive,
    resourcePolicy: 'configKey',
    context: { 'aws:SourceOrgID': orgId },
    expected: 'Allowed',
  },
  {
    name: 'AWS Config of another organization cannot use the Config key',
    principal: 'config.amazonaws.com',
    action: 'kms:GenerateDataKey',
    resource: configKey,
    resourceAccount: archive,
    resourcePolicy: 'configKey',
    context: { 'aws:SourceOrgID': 'o-zzzzzzzzzz' },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'the security account reads Config history',
    principal: sso(security, 'securityAdmin'),
    identityPolicies: [readTrailLogs],
    action: 'kms:Decrypt',
    resource: configKey,
    resourceAccount: archive,
    resourcePolicy: 'configKey',
    expected: 'Allowed',
  },
  {
    name: 'a prod admin cannot read Config history',
    principal: sso(prod, 'devops'),
    scpAccount: 'prod',
    identityPolicies: [ADMIN],
    action: 'kms:Decrypt',
    resource: configKey,
    resourceAccount: archive,
    resourcePolicy: 'configKey',
    expected: 'ImplicitlyDenied',
  },

  // --- log archive key policy ---
  {
    name: 'CloudTrail gets data keys for the organization trail',
    principal: 'cloudtrail.amazonaws.com',
    action: 'kms:GenerateDataKey',
    resource: trailKey,
    resourceAccount: archive,
    resourcePolicy: 'trailKey',
    context: { 'aws:SourceArn': names.trailArn, 'kms:EncryptionContext:aws:cloudtrail:arn': names.trailArn },
    expected: 'Allowed',
  },
  {
    name: 'CloudTrail describes the trail key for the organization trail',
    principal: 'cloudtrail.amazonaws.com',
    action: 'kms:DescribeKey',
    resource: trailKey,
    resourceAccount: archive,
    resourcePolicy: 'trailKey',
    context: { 'aws:SourceArn': names.trailArn },
    expected: 'Allowed',
  },
  {
    name: 'CloudTrail gets no data keys for another trail',
    principal: 'cloudtrail.amazonaws.com',
    action: 'kms:GenerateDataKey',
    resource: trailKey,
    resourceAccount: archive,
    resourcePolicy: 'trailKey',
    context: {
      'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${prod}:trail/rogue`,
      'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:us-east-1:${prod}:trail/rogue`,
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'a log-archive admin cannot decrypt trail logs (administers, never uses, the key)',
    principal: `arn:aws:iam::${archive}:role/Admin`,
    scpAccount: 'logArchive',
    identityPolicies: [ADMIN],
    action: 'kms:Decrypt',
    resource: trailKey,
    resourceAccount: archive,
    resourcePolicy: 'trailKey',
    context: { 'kms:EncryptionContext:aws:cloudtrail:arn': names.trailArn },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'the security account decrypts trail logs',
    principal: sso(security, 'securityAdmin'),
    identityPolicies: [readTrailLogs],
    action: 'kms:Decrypt',
    resource: trailKey,
    resourceAccount: archive,
    resourcePolicy: 'trailKey',
    context: { 'kms:EncryptionContext:aws:cloudtrail:arn': names.trailArn },
    expected: 'Allowed',
  },
  {
    name: 'the security account cannot use the trail key for anything but trail logs',
    principal: sso(security, 'securityAdmin'),
    identityPolicies: [readTrailLogs],
    action: 'kms:Decrypt',
    resource: trailKey,
    resourceAccount: archive,
    resourcePolicy: 'trailKey',
    context: { 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::${names.configBucket}` },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'a prod admin cannot decrypt trail logs',
    principal: sso(prod, 'devops'),
    scpAccount: 'prod',
    identityPolicies: [ADMIN],
    action: 'kms:Decrypt',
    resource: trailKey,
    resourceAccount: archive,
    resourcePolicy: 'trailKey',
    context: { 'kms:EncryptionContext:aws:cloudtrail:arn': names.trailArn },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'the management account cannot schedule deletion of the trail key (another account; the key denies it)',
    principal: `arn:aws:iam::${management}:root`,
    identityPolicies: [ADMIN],
    action: 'kms:ScheduleKeyDeletion',
    resource: trailKey,
    resourceAccount: archive,
    resourcePolicy: 'trailKey',
    expected: 'ExplicitlyDenied',
  },
  ...(['kms:ScheduleKeyDeletion', 'kms:DisableKey'] as const).flatMap((action) =>
    (
      [
        ['trailKey', trailKey],
        ['configKey', configKey],
      ] as const
    ).map(([policy, key]) => ({
      name: `a log-archive admin cannot ${action} on the ${policy} (the key policy denies all but break-glass)`,
      principal: `arn:aws:iam::${archive}:role/Admin`,
      scpAccount: 'logArchive',
      identityPolicies: [ADMIN],
      action,
      resource: key,
      resourceAccount: archive,
      resourcePolicy: policy,
      expected: 'ExplicitlyDenied' as const,
    })),
  ),
  // The exception is what makes the deny survivable: without it nobody could ever retire a compromised key.
  ...(
    [
      ['trailKey', trailKey],
      ['configKey', configKey],
    ] as const
  ).map(([policy, key]) => ({
    name: `log-archive break-glass can disable the ${policy} (the one principal the key policy excepts)`,
    principal: breakGlass(archive),
    scpAccount: 'logArchive',
    identityPolicies: [ADMIN],
    action: 'kms:DisableKey',
    resource: key,
    resourceAccount: archive,
    resourcePolicy: policy,
    expected: 'Allowed' as const,
  })),

  // --- break-glass role trust (member baseline StackSet) ---
  {
    name: 'a break-glass user with fresh MFA assumes the break-glass role',
    principal: breakGlassUser,
    identityPolicies: [assumeAnyRole],
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${prod}:role/${breakGlassRoleName}`,
    resourceAccount: prod,
    resourcePolicy: 'breakGlassTrust',
    context: { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' },
    expected: 'Allowed',
  },
  {
    name: 'break-glass works only with MFA',
    principal: breakGlassUser,
    identityPolicies: [assumeAnyRole],
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${prod}:role/${breakGlassRoleName}`,
    resourceAccount: prod,
    resourcePolicy: 'breakGlassTrust',
    context: { 'aws:MultiFactorAuthPresent': 'false' },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'break-glass refuses an MFA sign-in older than the configured age',
    principal: breakGlassUser,
    identityPolicies: [assumeAnyRole],
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${prod}:role/${breakGlassRoleName}`,
    resourceAccount: prod,
    resourcePolicy: 'breakGlassTrust',
    context: {
      'aws:MultiFactorAuthPresent': 'true',
      'aws:MultiFactorAuthAge': String(foundations.breakGlassMaxMfaAgeSeconds + 1),
    },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'a management-account user outside the break-glass path cannot assume it, even with MFA',
    principal: `arn:aws:iam::${management}:user/alice`,
    identityPolicies: [assumeAnyRole],
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${prod}:role/${breakGlassRoleName}`,
    resourceAccount: prod,
    resourcePolicy: 'breakGlassTrust',
    context: { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '60' },
    expected: 'ImplicitlyDenied',
  },

  // --- Identity Center permission sets (inline policies as synthesized) ---
  {
    name: 'the break-glass permission set is denied in a session without MFA',
    principal: sso(prod, 'breakGlass'),
    scpAccount: 'prod',
    identityPolicies: [ADMIN],
    permissionSet: permissionSetName(config, 'breakGlass'),
    action: 'ec2:TerminateInstances',
    resource: prodInstance(),
    resourceAccount: prod,
    context: { 'aws:MultiFactorAuthPresent': 'false' },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'the break-glass permission set works in an MFA session',
    principal: sso(prod, 'breakGlass'),
    scpAccount: 'prod',
    identityPolicies: [ADMIN],
    permissionSet: permissionSetName(config, 'breakGlass'),
    action: 'ec2:TerminateInstances',
    resource: prodInstance(),
    resourceAccount: prod,
    context: { 'aws:MultiFactorAuthPresent': 'true' },
    expected: 'Allowed',
  },
  {
    name: 'devops cannot read the database credentials',
    principal: sso(prod, 'devops'),
    scpAccount: 'prod',
    identityPolicies: [POWER_USER],
    permissionSet: permissionSetName(config, 'devops'),
    action: 'secretsmanager:GetSecretValue',
    resource: dbSecret(config.environment('prod').names.databaseSecretName),
    resourceAccount: prod,
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'devops can read other secrets of the environment',
    principal: sso(prod, 'devops'),
    scpAccount: 'prod',
    identityPolicies: [POWER_USER],
    permissionSet: permissionSetName(config, 'devops'),
    action: 'secretsmanager:GetSecretValue',
    resource: dbSecret(config.environment('prod').names.originVerifySecretName),
    resourceAccount: prod,
    expected: 'Allowed',
  },
  {
    name: 'the data-access role cannot connect as the master user',
    principal: sso(prod, 'prodDataAccess'),
    scpAccount: 'prod',
    permissionSet: permissionSetName(config, 'prodDataAccess'),
    action: 'rds-db:connect',
    resource: masterDbUser,
    resourceAccount: prod,
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'the data-access role can find the database',
    principal: sso(prod, 'prodDataAccess'),
    scpAccount: 'prod',
    permissionSet: permissionSetName(config, 'prodDataAccess'),
    action: 'rds:DescribeDBInstances',
    resource: prodDb,
    resourceAccount: prod,
    expected: 'Allowed',
  },

  ...DOORS,
  ...ACTION_SCENARIOS,
  ...BACKUP_COPIES_SCENARIOS,
  ...[
    's3:BypassGovernanceRetention',
    's3:DeleteObject',
    's3:PutBucketObjectLockConfiguration',
    's3:PutObjectLegalHold',
  ].map(
    (action): Scenario => ({
      name: `a management-account admin cannot ${action} on the log archive`,
      principal: `arn:aws:iam::${management}:role/Admin`,
      identityPolicies: [ADMIN],
      action,
      resource: action === 's3:PutBucketObjectLockConfiguration' ? `arn:aws:s3:::${names.cloudTrailBucket}` : logObject,
      resourceAccount: management,
      resourcePolicy: 'cloudTrailBucket',
      expected: 'ExplicitlyDenied',
    }),
  ),

  // --- cost alert topic and key ---
  {
    name: 'AWS Budgets of this account publishes cost alerts',
    principal: 'budgets.amazonaws.com',
    action: 'sns:Publish',
    resource: costTopic,
    resourceAccount: management,
    resourcePolicy: 'costAlertsTopic',
    context: { 'aws:SourceAccount': management },
    expected: 'Allowed',
  },
  {
    name: 'Cost Anomaly Detection of another account cannot publish',
    principal: 'costalerts.amazonaws.com',
    action: 'sns:Publish',
    resource: costTopic,
    resourceAccount: management,
    resourcePolicy: 'costAlertsTopic',
    context: { 'aws:SourceAccount': prod },
    expected: 'ImplicitlyDenied',
  },
  {
    name: 'cost alerts over plain HTTP are refused',
    principal: 'budgets.amazonaws.com',
    action: 'sns:Publish',
    resource: costTopic,
    resourceAccount: management,
    resourcePolicy: 'costAlertsTopic',
    context: { 'aws:SourceAccount': management, 'aws:SecureTransport': 'false' },
    expected: 'ExplicitlyDenied',
  },
  {
    name: 'Cost Anomaly Detection encrypts with the alert key',
    principal: 'costalerts.amazonaws.com',
    action: 'kms:GenerateDataKey',
    resource: costKey,
    resourceAccount: management,
    resourcePolicy: 'costAlertsKey',
    context: { 'aws:SourceAccount': management },
    expected: 'Allowed',
  },
];
