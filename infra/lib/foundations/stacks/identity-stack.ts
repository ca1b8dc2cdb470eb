/**
 * IAM Identity Center (spec §1, §9), management account: the permission sets and their group assignments.
 *
 * Short sessions everywhere (config), least privilege per job:
 * - read-only: ViewOnlyAccess (metadata, never data);
 * - devops: PowerUserAccess, but never the database credentials (data goes through prod-data-access);
 * - security-admin: SecurityAudit plus the security services;
 * - break-glass: AdministratorAccess, denied outright in any session marked as not MFA-authenticated;
 * - prod-data-access: only `rds-db:connect` as one PostgreSQL role in production: the audited, time-limited way to
 *   production data (the prod SCP denies every other human role the database).
 */
import type { PermissionSetKey, PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnAssignment, CfnPermissionSet } from 'aws-cdk-lib/aws-sso';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';
import { permissionSetName } from '../guardrail-settings.ts';
import { type PolicyDocumentJson, policyDocument } from '../policies/policy-document.ts';

export interface IdentityStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
}

const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export class IdentityStack extends Stack {
  readonly permissionSets = new Map<PermissionSetKey, CfnPermissionSet>();

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const { config, accounts } = props;
    const idc = config.organization.foundations.identityCenter;
    const prod = accounts.get('prod');
    const app = config.organization.tags.app;

    const definitions: Record<
      PermissionSetKey,
      { description: string; managed: string[]; inline?: PolicyDocumentJson }
    > = {
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
            Sid: 'DenyWithoutMfa',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
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

    for (const [key, definition] of Object.entries(definitions) as Array<
      [PermissionSetKey, (typeof definitions)[PermissionSetKey]]
    >) {
      const set = new CfnPermissionSet(this, `PermissionSet-${key}`, {
        instanceArn: idc.instanceArn,
        name: permissionSetName(config, key),
        description: definition.description,
        sessionDuration: idc.sessionDurations[key],
        managedPolicies: definition.managed.length > 0 ? definition.managed : undefined,
        inlinePolicy: definition.inline,
      });
      this.permissionSets.set(key, set);
    }

    for (const assignment of idc.assignments) {
      const set = this.permissionSets.get(assignment.permissionSet);
      if (!set) throw new Error(`no permission set ${assignment.permissionSet}`);
      for (const accountKey of assignment.accounts) {
        new CfnAssignment(this, `Assignment-${assignment.permissionSet}-${accountKey}`, {
          instanceArn: idc.instanceArn,
          permissionSetArn: set.attrPermissionSetArn,
          principalType: 'GROUP',
          principalId: idc.groups[assignment.permissionSet],
          targetType: 'AWS_ACCOUNT',
          targetId: accounts.get(accountKey).id,
        });
      }
    }
  }
}
