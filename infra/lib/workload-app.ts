/**
 * Builds one workload environment's stacks from its config. The same code for dev, staging and prod: what differs
 * between them is only in `config/environments/<env>.yaml`.
 *
 * Stack ids are `<prefix>-<part>` (e.g. `innovate-prod-data`); the synthesized templates are
 * `cdk.out/<stack id>.template.json`, which the cost model and the architecture diagram read.
 */
import type { OrganizationConfig, ResolvedEnvironment } from '@innovate/config';
import type { App, Stack } from 'aws-cdk-lib';
import { applyCostTags } from './cost-tags.ts';
import { NetworkStack } from './stacks/network-stack.ts';

export interface WorkloadStacks {
  network: NetworkStack;
}

export function addWorkloadStacks(app: App, organization: OrganizationConfig, environment: ResolvedEnvironment) {
  const prefix = environment.names.prefix;
  const common = {
    environment,
    organization,
    env: { account: environment.account.id, region: environment.region },
  };
  const network = new NetworkStack(app, `${prefix}-network`, {
    ...common,
    description: `Innovate ${environment.name}: VPC, endpoints, flow logs, NACLs`,
  });
  const stacks: WorkloadStacks = { network };
  for (const stack of Object.values(stacks) as Stack[]) applyCostTags(stack, environment.tags);
  return stacks;
}
