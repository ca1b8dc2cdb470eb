/**
 * Organization foundations (issue 4): the management-account (`foundations`) and security-account stacks.
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
import { LogArchiveStack } from './stacks/log-archive-stack.ts';
import { OrganizationStack } from './stacks/organization-stack.ts';

export interface FoundationStacks {
  organization: OrganizationStack;
  logArchive: LogArchiveStack;
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

  const stacks: FoundationStacks = { organization, logArchive };
  for (const stack of Object.values(stacks) as Stack[]) {
    applyCostTags(stack, {
      env: 'foundations',
      app: org.tags.app,
      owner: org.tags.owner,
      'cost-center': org.tags.costCenter,
    });
  }
  return stacks;
}
