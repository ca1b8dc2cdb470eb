/**
 * Organization foundations: the management-account (`foundations`) and security-account stacks.
 *
 * `bin/app.ts` calls `addFoundationStacks` exactly once. Stack ids are `<app>-foundations-<part>` for the
 * management account and `<app>-security-<part>` for the security account, so their templates sit in cdk.out beside
 * the workload stacks and every gate (cdk-nag, cfn-lint, checkov) covers them.
 */
import type { PlatformConfig } from '@innovate/config';
import { type App, DefaultStackSynthesizer, type Stack } from 'aws-cdk-lib';
import { applyCostTags } from '../cost-tags.ts';
import { accountDirectory } from './account-directory.ts';
import { guardrailSettings } from './guardrail-settings.ts';
import { CostGuardrailsStack } from './stacks/cost-guardrails-stack.ts';
import { DelegatedAdminStack } from './stacks/delegated-admin-stack.ts';
import { IdentityStack } from './stacks/identity-stack.ts';
import { LogArchiveStack } from './stacks/log-archive-stack.ts';
import { MemberBaselineStack } from './stacks/member-baseline-stack.ts';
import { OrganizationStack } from './stacks/organization-stack.ts';
import { SecurityServicesStack } from './stacks/security-services-stack.ts';

export interface FoundationStacks {
  organization: OrganizationStack;
  logArchive: LogArchiveStack;
  identity: IdentityStack;
  costGuardrails: CostGuardrailsStack;
  memberBaseline: MemberBaselineStack;
  /** GuardDuty / Security Hub delegated administration (management account), one per allowed region, primary first. */
  delegatedAdmin: DelegatedAdminStack[];
  /** Security services in the security account, one per allowed region, primary first. */
  securityServices: SecurityServicesStack[];
}

export function addFoundationStacks(app: App, config: PlatformConfig): FoundationStacks {
  const org = config.organization;
  const accounts = accountDirectory(config);
  const qualifier =
    (app.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const guardrails = guardrailSettings(config, accounts, qualifier);
  const prefix = `${org.tags.app}-foundations`;
  const management = { account: accounts.management.id, region: org.primaryRegion };

  const organization = new OrganizationStack(app, `${prefix}-organization`, {
    env: management,
    terminationProtection: true,
    description: 'Innovate foundations: OUs, member accounts, service control policies, cost tag policy',
    config,
    accounts,
    guardrails,
  });
  const logArchive = new LogArchiveStack(app, `${prefix}-log-archive`, {
    env: management,
    description: 'Innovate foundations: organization CloudTrail, WORM log archive, Config and access-log buckets',
    config,
    accounts,
  });

  const identity = new IdentityStack(app, `${prefix}-identity`, {
    env: management,
    description: 'Innovate foundations: IAM Identity Center permission sets and group assignments, sign-in alerts',
    config,
    accounts,
  });
  const costGuardrails = new CostGuardrailsStack(app, `${prefix}-cost-guardrails`, {
    env: management,
    description: 'Innovate foundations: monthly budget per account, cost anomaly detection, alert topic',
    config,
    accounts,
  });
  const f = org.foundations;
  const memberBaseline = new MemberBaselineStack(app, `${prefix}-member-baseline`, {
    env: management,
    description: 'Innovate foundations: StackSets for every member account (break-glass role, Config recorder)',
    config,
    accounts,
    logArchive: logArchive.names,
    configKeyArn: logArchive.configKey.keyArn,
    targetOuIds: f.organizationalUnits
      .filter((ou) => ou.parent === undefined)
      .map((ou) => organization.ouIds.get(ou.name) as string),
    regions: guardrails.allowedRegions,
  });
  memberBaseline.addStackDependency(organization);
  memberBaseline.addStackDependency(logArchive);

  // GuardDuty and Security Hub are regional: their delegated administrator is registered in every allowed region,
  // and each region's security services stack deploys after that registration (ADR 0044).
  const delegatedAdmin = guardrails.allowedRegions.map((region) => {
    const stack = new DelegatedAdminStack(app, `${prefix}-${region}-delegated-admin`, {
      env: { account: accounts.management.id, region },
      description: `Innovate foundations (${region}): security account as GuardDuty and Security Hub delegated admin`,
      config,
      accounts,
    });
    stack.addStackDependency(organization);
    return stack;
  });
  const securityServices = guardrails.allowedRegions.map((region, index) => {
    const stack = new SecurityServicesStack(app, `${org.tags.app}-security-${region}-services`, {
      env: { account: accounts.security.id, region },
      description: `Innovate security account (${region}): GuardDuty, Security Hub, Access Analyzer, Config`,
      config,
      primary: region === org.primaryRegion,
      regions: guardrails.allowedRegions,
    });
    stack.addStackDependency(delegatedAdmin[index] as DelegatedAdminStack);
    return stack;
  });

  const stacks: FoundationStacks = {
    organization,
    logArchive,
    identity,
    costGuardrails,
    memberBaseline,
    delegatedAdmin,
    securityServices,
  };
  const tagsFor = (env: string) => ({
    env,
    app: org.tags.app,
    owner: org.tags.owner,
    'cost-center': org.tags.costCenter,
  });
  for (const stack of [
    organization,
    logArchive,
    identity,
    costGuardrails,
    memberBaseline,
    ...delegatedAdmin,
  ] as Stack[]) {
    applyCostTags(stack, tagsFor('foundations'));
  }
  for (const stack of securityServices) applyCostTags(stack, tagsFor('security'));
  return stacks;
}
