/**
 * Requirement ORG-4: "Security Hub and GuardDuty with the security account as delegated admin and auto-enable for members".
 * The delegated-admin stacks (management account) and the GuardDuty auto-enable custom resource (security account)
 * are asserted on the synthesized templates; the custom resources' IAM policies are evaluated with the offline
 * evaluator (the security account's one also under the organization's SCPs, which apply there).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GUARDDUTY_FEATURES } from '../../lib/foundations/stacks/security-services-stack.ts';
import { synthesizedPolicySet } from './policy-set.ts';
import { type Decision, type PolicyJson, type PolicySet, simulate } from './policy-simulator.ts';
import {
  accounts,
  type CfnResource,
  config,
  foundations,
  resolveIntrinsics,
  resourcesOfType,
  type SynthesizedStack,
  synthesized,
} from './synthesized.ts';

const stacks = synthesized();
const regions = [...new Set([config.organization.primaryRegion, config.organization.drRegion])].sort();
const security = accounts.security.id;
const management = accounts.management.id;
const orgArn = (path: string) => `arn:aws:organizations::${management}:${path}`;

const only = (stack: SynthesizedStack, type: string): [string, CfnResource] => {
  const found = resourcesOfType(stack.template, type);
  expect(found, `${type} in ${stack.stack.stackName}`).toHaveLength(1);
  return found[0] as [string, CfnResource];
};
/** The SDK call a `Custom::` AwsCustomResource makes on create/update, with intrinsics resolved. */
const sdkCall = (stack: SynthesizedStack, type: string, event: 'Create' | 'Update') =>
  JSON.parse(resolveIntrinsics(only(stack, type)[1].Properties?.[event], stack) as string) as {
    service: string;
    action: string;
    parameters: Record<string, unknown>;
  };
/** The custom resource's own policy (the one attached to the provider Lambda's role for this call). */
const customResourcePolicy = (stack: SynthesizedStack, constructId: string): PolicyJson => {
  const found = resourcesOfType(stack.template, 'AWS::IAM::Policy').filter(([logicalId]) =>
    logicalId.startsWith(`${constructId}CustomResourcePolicy`),
  );
  expect(found).toHaveLength(1);
  return resolveIntrinsics((found[0] as [string, CfnResource])[1].Properties?.PolicyDocument, stack) as PolicyJson;
};
const actionsOf = (policy: PolicyJson) =>
  policy.Statement.flatMap((statement) => [statement.Action as string | string[]].flat()).sort();
const lambdaRole = (stack: SynthesizedStack) =>
  `arn:aws:iam::${stack.account}:role/${stack.stack.stackName}-AWS679f53fac002430cb0-ABCDEF123456`;

let policies: PolicySet;
beforeAll(() => {
  policies = synthesizedPolicySet();
});

describe('GuardDuty and Security Hub delegated admin = the security account (management account)', () => {
  it('has one delegated-admin stack per allowed region, in the management account', () => {
    expect(stacks.delegatedAdmin.map((stack) => stack.region).sort()).toEqual(regions);
    for (const stack of stacks.delegatedAdmin) expect(stack.account).toBe(management);
  });

  it.each(stacks.delegatedAdmin.map((stack) => [stack.region, stack] as const))('%s', (_region, stack) => {
    expect(only(stack, 'AWS::SecurityHub::DelegatedAdmin')[1].Properties).toEqual({ AdminAccountId: security });
    for (const event of ['Create', 'Update'] as const) {
      expect(sdkCall(stack, 'Custom::GuardDutyDelegatedAdmin', event)).toMatchObject({
        service: 'GuardDuty',
        action: 'EnableOrganizationAdminAccount',
        parameters: { AdminAccountId: security },
      });
    }
    // No Delete call: removing the stack never deregisters the administrator (ADR 0044).
    expect(only(stack, 'Custom::GuardDutyDelegatedAdmin')[1].Properties?.Delete).toBeUndefined();
  });

  it('its custom resource may use exactly the GuardDuty call and the Organizations calls GuardDuty makes for it', () => {
    const policy = customResourcePolicy(stacks.delegatedAdmin[0] as SynthesizedStack, 'GuardDutyDelegatedAdmin');
    expect(actionsOf(policy)).toEqual(
      [
        'guardduty:EnableOrganizationAdminAccount',
        'organizations:DescribeAccount',
        'organizations:DescribeOrganization',
        'organizations:DescribeOrganizationalUnit',
        'organizations:EnableAWSServiceAccess',
        'organizations:ListAWSServiceAccessForOrganization',
        'organizations:ListAccounts',
        'organizations:ListDelegatedAdministrators',
        'organizations:RegisterDelegatedAdministrator',
      ].sort(),
    );
  });

  const forGuardDuty = { 'organizations:ServicePrincipal': 'guardduty.amazonaws.com' };
  const forConfig = { 'organizations:ServicePrincipal': 'config.amazonaws.com' };
  const accountArn = (id: string) => orgArn(`account/${foundations.organizationId}/${id}`);
  const cases: Array<[string, string, string, Record<string, string>, Decision]> = [
    ['designates the GuardDuty administrator', 'guardduty:EnableOrganizationAdminAccount', '*', {}, 'Allowed'],
    ['enables trusted access for GuardDuty', 'organizations:EnableAWSServiceAccess', '*', forGuardDuty, 'Allowed'],
    [
      'cannot enable trusted access for another service',
      'organizations:EnableAWSServiceAccess',
      '*',
      forConfig,
      'ImplicitlyDenied',
    ],
    [
      'registers the security account for GuardDuty',
      'organizations:RegisterDelegatedAdministrator',
      accountArn(security),
      forGuardDuty,
      'Allowed',
    ],
    [
      'cannot register another account',
      'organizations:RegisterDelegatedAdministrator',
      accountArn(accounts.get('prod').id),
      forGuardDuty,
      'ImplicitlyDenied',
    ],
    [
      'cannot register the security account for another service',
      'organizations:RegisterDelegatedAdministrator',
      accountArn(security),
      forConfig,
      'ImplicitlyDenied',
    ],
    [
      'cannot remove the GuardDuty administrator',
      'guardduty:DisableOrganizationAdminAccount',
      '*',
      {},
      'ImplicitlyDenied',
    ],
    [
      'cannot deregister a delegated administrator',
      'organizations:DeregisterDelegatedAdministrator',
      accountArn(security),
      forGuardDuty,
      'ImplicitlyDenied',
    ],
  ];
  it.each(cases)('its Lambda %s', async (name, action, resource, context, expected) => {
    for (const stack of stacks.delegatedAdmin) {
      const outcome = await simulate(
        {
          name,
          principal: lambdaRole(stack),
          identityPolicies: [customResourcePolicy(stack, 'GuardDutyDelegatedAdmin')],
          action,
          resource,
          resourceAccount: management,
          context,
          expected,
        },
        policies,
      );
      expect(outcome.ignoredContextKeys).toEqual([]);
      expect(outcome.decision).toBe(expected);
    }
  });
});

describe('GuardDuty auto-enable for every member (security account, each region)', () => {
  it('deploys each region after that region’s delegated-admin registration', () => {
    for (const services of stacks.securityServices) {
      const admin = stacks.delegatedAdmin.find((stack) => stack.region === services.region);
      expect(services.stack.dependencies).toContain(admin?.stack);
    }
  });

  it.each(stacks.securityServices.map((stack) => [stack.region, stack] as const))('%s', (_region, stack) => {
    const [detectorId] = only(stack, 'AWS::GuardDuty::Detector');
    for (const event of ['Create', 'Update'] as const) {
      expect(sdkCall(stack, 'Custom::GuardDutyOrganizationAutoEnable', event)).toEqual({
        service: 'GuardDuty',
        action: 'UpdateOrganizationConfiguration',
        parameters: {
          DetectorId: `${detectorId}-physical-id`,
          AutoEnableOrganizationMembers: 'ALL',
          Features: GUARDDUTY_FEATURES.map((name) => ({
            Name: name,
            AutoEnable: 'ALL',
            ...(name === 'EKS_RUNTIME_MONITORING'
              ? { AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', AutoEnable: 'ALL' }] }
              : {}),
          })),
        },
        physicalResourceId: { id: `guardduty-auto-enable-${stack.region}` },
      });
    }
    expect(only(stack, 'Custom::GuardDutyOrganizationAutoEnable')[1].Properties?.Delete).toBeUndefined();
    // UpdateOrganizationConfiguration has no resource type: the one statement is that action on '*'.
    expect(customResourcePolicy(stack, 'GuardDutyAutoEnable').Statement).toEqual([
      { Effect: 'Allow', Action: 'guardduty:UpdateOrganizationConfiguration', Resource: '*' },
    ]);
  });

  it('its Lambda may update the organization configuration under the SCPs, and nothing else', async () => {
    for (const stack of stacks.securityServices) {
      const [detectorId] = only(stack, 'AWS::GuardDuty::Detector');
      const detector = `arn:aws:guardduty:${stack.region}:${security}:detector/${detectorId}-physical-id`;
      const decide = async (action: string, resource: string) => {
        const outcome = await simulate(
          {
            name: action,
            principal: lambdaRole(stack),
            scpAccount: 'security',
            identityPolicies: [customResourcePolicy(stack, 'GuardDutyAutoEnable')],
            action,
            resource,
            resourceAccount: security,
            expected: 'Allowed',
          },
          policies,
        );
        expect(outcome.ignoredContextKeys).toEqual([]);
        return outcome.decision;
      };
      // The security-services SCP must not block the auto-enable (it protects detectors, not this setting).
      expect(await decide('guardduty:UpdateOrganizationConfiguration', '*')).toBe('Allowed');
      expect(await decide('guardduty:UpdateDetector', detector)).toBe('ExplicitlyDenied');
      expect(await decide('guardduty:DeleteDetector', detector)).toBe('ExplicitlyDenied');
      expect(await decide('guardduty:DisableOrganizationAdminAccount', '*')).toBe('ImplicitlyDenied');
      expect(await decide('guardduty:CreateMembers', '*')).toBe('ImplicitlyDenied');
    }
  });
});
