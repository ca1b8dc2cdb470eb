/**
 * What each Identity Center permission set may do (requirement ORG-5): one entry per job, least privilege per job,
 * short sessions everywhere (config). The identity stack turns each entry into a permission set; the entries are data
 * so a reviewer reads every door in one place.
 *
 * - read-only: ViewOnlyAccess (metadata, never data);
 * - devops: PowerUserAccess, but none of the doors around ADR 0043: no database credentials (data goes through
 *   prod-data-access), no way to change who may enter the cluster, no shell or command on a node (only the tunnel
 *   to the cluster's private endpoint), no change to the functions CloudFormation runs, no master password reset,
 *   no sign-in settings or user credentials, and none of the roles that administer (cluster-admin, CDK deploy);
 * - cluster-admin: reads the account, assumes the environment's cluster-admin role (the only principal that role
 *   trusts) and opens Session Manager sessions on the system nodes, which the account logs;
 * - security-admin: SecurityAudit plus the security services;
 * - break-glass: AdministratorAccess, denied outright in any session marked as not MFA-authenticated;
 * - prod-data-access: only `rds-db:connect` as one PostgreSQL role in production: the audited, time-limited way to
 *   production data (the prod SCP denies every other human role the database).
 */
import type { PermissionSetKey, PlatformConfig } from '@innovate/config';
import type { AccountDirectory } from './account-directory.ts';
import { type PolicyDocumentJson, policyDocument } from './policies/policy-document.ts';

export interface PermissionSetDefinition {
  /** Shown in the Identity Center console beside the set's name. */
  description: string;
  /** ARNs of the AWS managed policies attached to the set (none: the inline policy alone). */
  managed: string[];
  /** The set's inline policy: denials carved out of the managed policies, or the only grants. */
  inline?: PolicyDocumentJson;
}

const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/** Every permission set of the organization, keyed as config's assignments name them. */
export function permissionSetDefinitions(
  config: PlatformConfig,
  accounts: AccountDirectory,
): Record<PermissionSetKey, PermissionSetDefinition> {
  const idc = config.organization.foundations.identityCenter;
  const prod = accounts.get('prod');
  const app = config.organization.tags.app;
  return {
    readOnly: {
      description: 'See configuration and metrics in every account; no data, no secrets',
      managed: [managed('job-function/ViewOnlyAccess')],
    },
    devops: {
      description: 'Operate workloads; database credentials are out of reach (use prod-data-access)',
      managed: [managed('PowerUserAccess')],
      inline: policyDocument([
        {
          Sid: 'NoDatabaseCredentials',
          Effect: 'Deny',
          Action: 'secretsmanager:GetSecretValue',
          Resource: `arn:aws:secretsmanager:*:*:secret:${app}-*/database/*`,
        },
        {
          // A value put as AWSPENDING is what the next rotation sets as the password: writing it is knowing it.
          Sid: 'NoDatabaseCredentialChanges',
          Effect: 'Deny',
          Action: [
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecret',
            'secretsmanager:UpdateSecretVersionStage',
            'secretsmanager:RotateSecret',
          ],
          Resource: `arn:aws:secretsmanager:*:*:secret:${app}-*/database/*`,
        },
        {
          // ModifyDBInstance can set a new master password; the database changes through config and CI only.
          Sid: 'NoMasterPasswordReset',
          Effect: 'Deny',
          Action: ['rds:ModifyDBInstance', 'rds:ModifyDBCluster'],
          Resource: '*',
        },
        {
          // Who may enter the cluster, and as what, is the cluster stack's decision alone.
          Sid: 'NoClusterAccessChanges',
          Effect: 'Deny',
          Action: [
            'eks:CreateAccessEntry',
            'eks:UpdateAccessEntry',
            'eks:DeleteAccessEntry',
            'eks:AssociateAccessPolicy',
            'eks:DisassociateAccessPolicy',
            'eks:UpdateClusterConfig',
            'eks:AssociateIdentityProviderConfig',
            'eks:CreatePodIdentityAssociation',
            'eks:UpdatePodIdentityAssociation',
          ],
          Resource: '*',
        },
        {
          // A command on a node runs as root next to every pod's mounted secrets.
          Sid: 'NoCommandsOnNodes',
          Effect: 'Deny',
          Action: [
            'ssm:SendCommand',
            'ec2-instance-connect:SendSSHPublicKey',
            'ec2-instance-connect:SendSerialConsoleSSHPublicKey',
            'ec2-instance-connect:OpenTunnel',
          ],
          Resource: '*',
        },
        {
          // Session Manager only through the document that forwards a port to the cluster's private endpoint.
          Sid: 'OnlyTheClusterEndpointTunnel',
          Effect: 'Deny',
          Action: 'ssm:StartSession',
          NotResource: ['arn:aws:ec2:*:*:instance/*', `arn:aws:ssm:*:*:document/${app}-*-cluster-endpoint-tunnel`],
        },
        {
          // Without the document check, StartSession on an instance authorizes the default shell document unseen.
          Sid: 'SessionDocumentChecked',
          Effect: 'Deny',
          Action: 'ssm:StartSession',
          Resource: 'arn:aws:ec2:*:*:instance/*',
          Condition: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'false' } },
        },
        {
          // The kubectl provider's handler runs with cluster-admin access; the rotation functions and the roles'
          // bootstrap hold the database master's password. Every function the stacks deploy is named after the app:
          // `<app>-<env>-…` (named, or CloudFormation's name after the stack) and `<app><env>data…` (the rotation
          // applications, which CDK names after the construct path), so no hyphen after the app name.
          Sid: 'NoChangesToDeployedFunctions',
          Effect: 'Deny',
          Action: [
            'lambda:UpdateFunctionCode',
            'lambda:UpdateFunctionConfiguration',
            'lambda:InvokeFunction',
            'lambda:AddPermission',
          ],
          Resource: `arn:aws:lambda:*:*:function:${app}*`,
        },
        {
          // The administering roles: cluster-admin (trusts the cluster-admin set only) and the CDK bootstrap roles
          // that deploy with administrator rights (CI's deploy role reaches them; people diff with the lookup role).
          Sid: 'NoAdministeringRoles',
          Effect: 'Deny',
          Action: 'sts:AssumeRole',
          Resource: [
            `arn:aws:iam::*:role/${app}-*-cluster-admin`,
            'arn:aws:iam::*:role/cdk-*-deploy-role-*',
            'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*',
            'arn:aws:iam::*:role/cdk-*-file-publishing-role-*',
            'arn:aws:iam::*:role/cdk-*-image-publishing-role-*',
          ],
        },
        {
          // The API trusts the issuer these parameters name; the user pool decides who signs in as whom.
          Sid: 'NoSignInSettingsOrUserCredentials',
          Effect: 'Deny',
          Action: ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:DeleteParameters', 'ssm:LabelParameterVersion'],
          Resource: `arn:aws:ssm:*:*:parameter/${app}/*/auth/*`,
        },
        {
          Sid: 'NoSignInAsAUser',
          Effect: 'Deny',
          Action: [
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
          ],
          Resource: 'arn:aws:cognito-idp:*:*:userpool/*',
        },
      ]),
    },
    clusterAdmin: {
      description: 'Administer the EKS clusters through the cluster-admin role; Session Manager on system nodes',
      managed: [managed('job-function/ViewOnlyAccess')],
      inline: policyDocument([
        {
          Sid: 'AssumeTheClusterAdminRole',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: `arn:aws:iam::*:role/${app}-*-cluster-admin`,
        },
        {
          Sid: 'FindTheCluster',
          Effect: 'Allow',
          Action: ['eks:DescribeCluster', 'eks:ListClusters'],
          Resource: '*',
        },
        {
          // The managed node group tags its instances; Karpenter's workload nodes carry no such tag.
          Sid: 'SessionsOnSystemNodes',
          Effect: 'Allow',
          Action: 'ssm:StartSession',
          Resource: 'arn:aws:ec2:*:*:instance/*',
          Condition: { StringLike: { 'ssm:resourceTag/eks:nodegroup-name': `${app}-*-system` } },
        },
        {
          Sid: 'ShellAndEndpointTunnelDocuments',
          Effect: 'Allow',
          Action: 'ssm:StartSession',
          Resource: [
            'arn:aws:ssm:*:*:document/SSM-SessionManagerRunShell',
            `arn:aws:ssm:*:*:document/${app}-*-cluster-endpoint-tunnel`,
          ],
        },
        {
          // The Session Manager plugin ends (and resumes) the sessions this person started, no one else's.
          Sid: 'EndOwnSessions',
          Effect: 'Allow',
          Action: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          Resource: 'arn:aws:ssm:*:*:session/${aws:userid}-*',
        },
        {
          // Session data is encrypted with the account's session key (cluster stack); the client needs a data key.
          Sid: 'EncryptSessions',
          Effect: 'Allow',
          Action: 'kms:GenerateDataKey',
          Resource: '*',
          Condition: { 'ForAnyValue:StringLike': { 'kms:ResourceAliases': `alias/${app}-*-ssm-sessions` } },
        },
      ]),
    },
    securityAdmin: {
      description: 'Investigate and manage security services (GuardDuty, Security Hub, Config, Access Analyzer)',
      managed: [
        managed('SecurityAudit'),
        managed('AmazonGuardDutyFullAccess'),
        managed('AWSSecurityHubFullAccess'),
        managed('IAMAccessAnalyzerFullAccess'),
      ],
    },
    breakGlass: {
      description: 'Emergency administrator; every request of a session not authenticated with MFA is denied',
      managed: [managed('AdministratorAccess')],
      inline: policyDocument([
        {
          // IfExists: a session that carries no MFA key at all (federated, long-term keys) is denied too; plain
          // Bool matches only a key present and false.
          Sid: 'DenyWithoutMfa',
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ]),
    },
    prodDataAccess: {
      description: `Connect to the production database as ${idc.prodDataAccessDbUser} (IAM auth), audited, 1 session`,
      managed: [],
      inline: policyDocument([
        {
          Sid: 'ConnectAsTheDataReaderOnly',
          Effect: 'Allow',
          Action: 'rds-db:connect',
          Resource: `arn:aws:rds-db:${config.organization.primaryRegion}:${prod.id}:dbuser:*/${idc.prodDataAccessDbUser}`,
        },
        {
          Sid: 'FindTheDatabase',
          Effect: 'Allow',
          Action: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'],
          Resource: '*',
        },
      ]),
    },
  };
}
