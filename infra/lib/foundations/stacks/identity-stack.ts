/**
 * IAM Identity Center (requirement ORG-5), management account: the permission sets and their group assignments, and the
 * alerts on the management account's root and break-glass sign-ins.
 *
 * What each permission set may do is a table of its own (permission-set-definitions.ts); this stack turns it into
 * permission sets with config's session durations and assigns them to config's groups and accounts.
 */
import type { PermissionSetKey, PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnAssignment, CfnPermissionSet } from 'aws-cdk-lib/aws-sso';
import type { Construct } from 'constructs';
import { AlarmTopic } from '../../constructs/alarm-topic.ts';
import { PrivilegedSignInAlerts } from '../../constructs/privileged-sign-in-alerts.ts';
import type { AccountDirectory } from '../account-directory.ts';
import { permissionSetName } from '../guardrail-settings.ts';
import { type PermissionSetDefinition, permissionSetDefinitions } from '../permission-set-definitions.ts';

export interface IdentityStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
}

export class IdentityStack extends Stack {
  readonly permissionSets = new Map<PermissionSetKey, CfnPermissionSet>();

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const { config, accounts } = props;
    const idc = config.organization.foundations.identityCenter;
    const app = config.organization.tags.app;

    const definitions = permissionSetDefinitions(config, accounts);
    for (const [key, definition] of Object.entries(definitions) as Array<[PermissionSetKey, PermissionSetDefinition]>) {
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

    // The management account's own root and break-glass users sign in here (us-east-1): their sign-ins, and any use
    // of the break-glass permission set in this account, go to the security alert topic.
    const securityAlerts = new AlarmTopic(this, 'SecurityAlerts', {
      topicName: `${app}-security-alerts`,
      email: config.organization.foundations.securityAlertEmail,
    });
    new PrivilegedSignInAlerts(this, 'PrivilegedSignIns', {
      topics: [securityAlerts],
      account: accounts.management.id,
      breakGlassRoleName: config.organization.foundations.protectedRoles.breakGlassRoleName,
      breakGlassPermissionSetName: permissionSetName(config, 'breakGlass'),
      breakGlassUserPath: config.organization.foundations.breakGlassUserPath,
    });

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
