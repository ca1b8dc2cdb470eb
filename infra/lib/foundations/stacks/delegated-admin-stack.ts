/**
 * Delegated administration of GuardDuty, Security Hub and Amazon Inspector (management account, one stack per allowed region: both
 * services are regional). The security account becomes the delegated administrator of each, so the security
 * services stacks (security account) can auto-enable every member.
 *
 * Security Hub has a CloudFormation resource (`AWS::SecurityHub::DelegatedAdmin`). GuardDuty has none, so one
 * `AwsCustomResource` calls `guardduty:EnableOrganizationAdminAccount`; GuardDuty itself then enables its trusted
 * access and registers the delegated administrator in AWS Organizations, which is why the policy also allows those two
 * Organizations calls, each only for guardduty.amazonaws.com (ADR 0044).
 *
 * Removal is a no-op on purpose: deleting this stack must not switch off organization-wide threat detection.
 * Changing the administrator is a deliberate step (docs/deployment.md), like the SCP that protects GuardDuty.
 */
import type { PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnDelegatedAdmin } from 'aws-cdk-lib/aws-securityhub';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';

export interface DelegatedAdminStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
}

/** The service principal GuardDuty registers as delegated administrator and enables trusted access for. */
export const GUARDDUTY_PRINCIPAL = 'guardduty.amazonaws.com';

/**
 * The exact statements the GuardDuty custom resource may use. GuardDuty's documented permission set for
 * `EnableOrganizationAdminAccount`, narrowed: the Organizations writes only for GuardDuty's principal and the
 * security account; the reads it makes to validate the account. No IAM (the administrator is not the management
 * account, so no service-linked role is created here).
 */
export function guardDutyAdminStatements(managementId: string, organizationId: string, securityId: string) {
  const org = `arn:aws:organizations::${managementId}`;
  const forGuardDuty = { StringEquals: { 'organizations:ServicePrincipal': GUARDDUTY_PRINCIPAL } };
  return [
    // No resource type exists for this action (Service Authorization Reference): '*' is the only valid resource.
    new iam.PolicyStatement({ actions: ['guardduty:EnableOrganizationAdminAccount'], resources: ['*'] }),
    new iam.PolicyStatement({
      actions: ['organizations:EnableAWSServiceAccess'],
      resources: ['*'],
      conditions: forGuardDuty,
    }),
    new iam.PolicyStatement({
      actions: ['organizations:RegisterDelegatedAdministrator'],
      resources: [`${org}:account/${organizationId}/${securityId}`],
      conditions: forGuardDuty,
    }),
    new iam.PolicyStatement({
      actions: ['organizations:DescribeAccount'],
      resources: [`${org}:account/${organizationId}/${securityId}`],
    }),
    // Read-only lookups GuardDuty makes while validating the organization: without a resource type, or (the OU
    // describe) over OUs whose ids are not known at synth time.
    new iam.PolicyStatement({
      actions: [
        'organizations:DescribeOrganization',
        'organizations:DescribeOrganizationalUnit',
        'organizations:ListAccounts',
        'organizations:ListAWSServiceAccessForOrganization',
        'organizations:ListDelegatedAdministrators',
      ],
      resources: ['*'],
    }),
  ];
}

/** The service principal Inspector registers as delegated administrator and enables trusted access for. */
export const INSPECTOR_PRINCIPAL = 'inspector2.amazonaws.com';

/** `EnableDelegatedAdminAccount` of Inspector, narrowed like GuardDuty's: Organizations writes only for its principal. */
export function inspectorAdminStatements(managementId: string, organizationId: string, securityId: string) {
  const org = `arn:aws:organizations::${managementId}`;
  const forInspector = { StringEquals: { 'organizations:ServicePrincipal': INSPECTOR_PRINCIPAL } };
  return [
    new iam.PolicyStatement({ actions: ['inspector2:EnableDelegatedAdminAccount'], resources: ['*'] }),
    new iam.PolicyStatement({
      actions: ['organizations:EnableAWSServiceAccess'],
      resources: ['*'],
      conditions: forInspector,
    }),
    new iam.PolicyStatement({
      actions: ['organizations:RegisterDelegatedAdministrator'],
      resources: [`${org}:account/${organizationId}/${securityId}`],
      conditions: forInspector,
    }),
    new iam.PolicyStatement({
      actions: [
        'organizations:DescribeOrganization',
        'organizations:ListAWSServiceAccessForOrganization',
        'organizations:ListDelegatedAdministrators',
      ],
      resources: ['*'],
    }),
    // Inspector creates its service-linked role in the management account on first use.
    new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:aws:iam::${managementId}:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2`,
      ],
      conditions: { StringEquals: { 'iam:AWSServiceName': INSPECTOR_PRINCIPAL } },
    }),
  ];
}

export class DelegatedAdminStack extends Stack {
  constructor(scope: Construct, id: string, props: DelegatedAdminStackProps) {
    super(scope, id, props);
    const { config, accounts } = props;
    const securityId = accounts.security.id;

    new CfnDelegatedAdmin(this, 'SecurityHubDelegatedAdmin', { adminAccountId: securityId });

    const enableAdmin = {
      service: 'GuardDuty',
      action: 'EnableOrganizationAdminAccount',
      parameters: { AdminAccountId: securityId },
      // One administrator per region: the physical id changes (and CloudFormation replaces) only if it changes.
      physicalResourceId: PhysicalResourceId.of(`guardduty-admin-${securityId}`),
    };
    // Amazon Inspector: same pattern, its own principal (the security account then enables scanning, ADR 0044).
    const inspectorAdmin = {
      service: 'Inspector2',
      action: 'EnableDelegatedAdminAccount',
      parameters: { delegatedAdminAccountId: securityId },
      physicalResourceId: PhysicalResourceId.of(`inspector-admin-${securityId}`),
    };
    new AwsCustomResource(this, 'InspectorDelegatedAdmin', {
      resourceType: 'Custom::InspectorDelegatedAdmin',
      onCreate: inspectorAdmin,
      onUpdate: inspectorAdmin,
      // onDelete deliberately absent (module comment).
      policy: AwsCustomResourcePolicy.fromStatements(
        inspectorAdminStatements(accounts.management.id, config.organization.foundations.organizationId, securityId),
      ),
      installLatestAwsSdk: false,
    });

    new AwsCustomResource(this, 'GuardDutyDelegatedAdmin', {
      resourceType: 'Custom::GuardDutyDelegatedAdmin',
      onCreate: enableAdmin,
      onUpdate: enableAdmin,
      // onDelete deliberately absent (module comment).
      policy: AwsCustomResourcePolicy.fromStatements(
        guardDutyAdminStatements(accounts.management.id, config.organization.foundations.organizationId, securityId),
      ),
      // The SDK bundled with the Lambda runtime has both calls; no download from a registry during deploy.
      installLatestAwsSdk: false,
    });
  }
}
