/**
 * Organization foundations: the management-account (`foundations`), log-archive-account and security-account stacks.
 *
 * `bin/app.ts` calls `addFoundationStacks` exactly once. Stack ids are `<app>-foundations-<part>` for the
 * management account, `<app>-logarchive-<part>` and `<app>-security-<part>` for the other two, so their templates
 * sit in cdk.out beside the workload stacks and every gate (cdk-nag, cfn-lint, checkov) covers them.
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
import { OrganizationTrailStack } from './stacks/organization-trail-stack.ts';
import { SecurityFindingsStack } from './stacks/security-findings-stack.ts';
import { SecurityServicesStack } from './stacks/security-services-stack.ts';

export interface FoundationStacks {
  organization: OrganizationStack;
  /** The archive's buckets and keys, in the log-archive account. */
  logArchive: LogArchiveStack;
  /** The organization trail itself, in the management account. */
  organizationTrail: OrganizationTrailStack;
  /** The findings topic and the route of every finding source, security account, primary region. */
  securityFindings: SecurityFindingsStack;
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
  // The archive lives in the log-archive account (a member: SCPs apply); the management account keeps only the
  // organization trail, which must be created there (ADR 0048).
  const logArchive = new LogArchiveStack(app, `${org.tags.app}-logarchive-storage`, {
    env: { account: accounts.logArchive.id, region: org.primaryRegion },
    description: 'Innovate log archive: WORM CloudTrail bucket and key, Config and access-log buckets, tamper alerts',
    config,
    accounts,
  });
  const securityFindings = new SecurityFindingsStack(app, `${org.tags.app}-security-findings`, {
    env: { account: accounts.security.id, region: org.primaryRegion },
    description: 'Innovate security account: findings topic (e-mail, optional Slack) and one route per finding source',
    config,
    accounts,
  });
  const organizationTrail = new OrganizationTrailStack(app, `${prefix}-organization-trail`, {
    env: management,
    description: 'Innovate foundations: organization CloudTrail into the log-archive account, trail tamper alert',
    config,
    accounts,
  });
  // The trail checks the bucket and key policies at creation; its tamper rule forwards to the findings bus.
  organizationTrail.addStackDependency(logArchive);
  organizationTrail.addStackDependency(securityFindings);
  logArchive.addStackDependency(securityFindings);

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
    description:
      'Innovate foundations: StackSets for every member account (break-glass role, Config, account guardrails)',
    config,
    accounts,
    logArchive: logArchive.names,
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
    organizationTrail,
    securityFindings,
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
    organizationTrail,
    identity,
    costGuardrails,
    memberBaseline,
    ...delegatedAdmin,
  ] as Stack[]) {
    applyCostTags(stack, tagsFor('foundations'));
  }
  for (const stack of [...securityServices, securityFindings]) applyCostTags(stack, tagsFor('security'));
  applyCostTags(logArchive, tagsFor('log-archive'));
  return stacks;
}
