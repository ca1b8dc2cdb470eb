/**
 * The two questions of the spec, answered by the model itself:
 *  1. what the chosen per-environment config saves against a "naive" build where every environment looks like prod
 *     (NAT gateways, one per AZ, interface endpoints in every AZ, Multi-AZ RDS, prod's node baseline);
 *  2. from which monthly volume an interface endpoint is cheaper than sending the same bytes through NAT.
 * Both transform the real synthesized templates and config, then price them with the same model.
 */
import type { PlatformConfig, ResolvedEnvironment } from '@innovate/config';
import { type Estimate, estimate } from './model.ts';
import type { PriceTable, Region } from './price-table.ts';
import { isNatInstance } from './pricers/network.ts';
import type { CfnResource, SynthStack } from './synth.ts';

/** Every workload environment rebuilt with the reference environment's shape (prod by default). */
/** The ways the naive build differs from the chosen one; each can be applied alone to see its share. */
export const LEVERS = ['natInstance', 'natPerAz', 'endpointsInEveryAz', 'multiAzDatabase', 'prodNodeBaseline'] as const;
export type Lever = (typeof LEVERS)[number];

export function naiveBuild(
  stacks: readonly SynthStack[],
  config: PlatformConfig,
  levers: readonly Lever[] = LEVERS,
  referenceName = 'prod',
): { stacks: SynthStack[]; config: PlatformConfig } {
  const on = (lever: Lever) => levers.includes(lever);
  const reference = config.environment(referenceName);
  const accounts = new Set(config.environments.map((env) => env.account.id));
  const rebuilt = stacks.map((stack) => {
    const copy: SynthStack = structuredClone(stack);
    if (!accounts.has(stack.account)) return copy;
    const resources = copy.template.Resources ?? {};
    // The kind first, then the count: with both levers the naive build has the reference's gateways per AZ.
    if (on('natInstance') && reference.network.nat.provider === 'gateway') natInstancesAsGateways(resources);
    if (on('natPerAz')) perAzNat(resources, reference.network.nat.count);
    for (const resource of Object.values(resources)) {
      const props = resource.Properties ?? {};
      if (
        on('endpointsInEveryAz') &&
        resource.Type === 'AWS::EC2::VPCEndpoint' &&
        props.VpcEndpointType === 'Interface'
      ) {
        const subnets = Array.isArray(props.SubnetIds) ? props.SubnetIds : [];
        while (subnets.length < reference.network.azCount) subnets.push({ Ref: `NaiveSubnet${subnets.length + 1}` });
        props.SubnetIds = subnets;
      }
      if (
        on('multiAzDatabase') &&
        resource.Type === 'AWS::RDS::DBInstance' &&
        props.SourceDBInstanceIdentifier === undefined
      ) {
        props.MultiAZ = reference.database.multiAz;
      }
      if (on('prodNodeBaseline') && resource.Type === 'AWS::EKS::Nodegroup')
        referenceNodes(resource, resources, reference);
    }
    // Prod's nodes run around the clock: no night size, and so no Karpenter baseline priced by day only.
    if (on('prodNodeBaseline')) {
      for (const [id, resource] of Object.entries(resources)) {
        if (
          resource.Type === 'AWS::Scheduler::Schedule' &&
          JSON.stringify(resource).includes('eks:updateNodegroupConfig')
        )
          delete resources[id];
      }
    }
    return copy;
  });
  const environments = config.environments.map(
    (env): ResolvedEnvironment =>
      on('prodNodeBaseline') ? { ...env, usage: { ...env.usage, karpenter: reference.usage.karpenter } } : env,
  );
  return { stacks: rebuilt, config: withEnvironments(config, environments) };
}

/** Each NAT instance becomes a NAT gateway in its subnet; its Elastic IP stays (a gateway has one too). */
function natInstancesAsGateways(resources: Record<string, CfnResource>): void {
  for (const [id, resource] of Object.entries(resources)) {
    if (!isNatInstance(resource)) continue;
    resources[id] = { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: resource.Properties?.SubnetId } };
  }
}

/** More of the NAT the template has (gateway or instance), each with its Elastic IP, up to `wanted`. */
function perAzNat(resources: Record<string, CfnResource>, wanted: number): void {
  const nats = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::EC2::NatGateway' || isNatInstance(r));
  const first = nats[0];
  if (!first) return;
  for (let n = nats.length + 1; n <= wanted; n++) {
    resources[`NaiveNat${n}`] = structuredClone(first[1]);
    resources[`NaiveNatEip${n}`] = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } };
  }
}

function referenceNodes(
  nodegroup: CfnResource,
  resources: Record<string, CfnResource>,
  reference: ResolvedEnvironment,
) {
  const nodes = reference.cluster.systemNodes;
  const props = nodegroup.Properties ?? {};
  props.InstanceTypes = [...nodes.instanceTypes];
  props.ScalingConfig = { MinSize: nodes.minSize, DesiredSize: nodes.desiredSize, MaxSize: nodes.maxSize };
  const launchTemplate = (props.LaunchTemplate as { Id?: { Ref?: string } } | undefined)?.Id?.Ref;
  const data = launchTemplate ? resources[launchTemplate]?.Properties?.LaunchTemplateData : undefined;
  const mapping = (data as { BlockDeviceMappings?: Array<{ Ebs?: { VolumeSize?: number } }> } | undefined)
    ?.BlockDeviceMappings?.[0]?.Ebs;
  if (mapping) mapping.VolumeSize = nodes.diskGiB;
  else props.DiskSize = nodes.diskGiB;
}

function withEnvironments(config: PlatformConfig, environments: ResolvedEnvironment[]): PlatformConfig {
  return {
    organization: config.organization,
    environments,
    environment(name: string) {
      const found = environments.find((env) => env.name === name);
      if (!found) return config.environment(name);
      return found;
    },
  };
}

export interface NaiveComparison {
  rows: Array<{ account: string; chosenUsd: number; naiveUsd: number; savingUsd: number }>;
  chosen: Estimate;
  naive: Estimate;
  /** What each lever alone adds to the chosen build, over all accounts. */
  byLever: Array<{ lever: Lever; savingUsd: number }>;
}

export function naiveVsChosen(
  stacks: readonly SynthStack[],
  config: PlatformConfig,
  prices: PriceTable,
): NaiveComparison {
  const chosen = estimate(stacks, config, prices);
  const variant = naiveBuild(stacks, config);
  const naive = estimate(variant.stacks, variant.config, prices);
  const rows = chosen.accounts.map((account) => {
    const naiveUsd = naive.accounts.find((n) => n.account === account.account)?.totalUsd ?? 0;
    return { account: account.account, chosenUsd: account.totalUsd, naiveUsd, savingUsd: naiveUsd - account.totalUsd };
  });
  const byLever = LEVERS.map((lever) => {
    const alone = naiveBuild(stacks, config, [lever]);
    return { lever, savingUsd: estimate(alone.stacks, alone.config, prices).totalUsd - chosen.totalUsd };
  });
  return { rows, chosen, naive, byLever };
}

export interface BreakEven {
  region: Region;
  /** Per endpoint service: the fixed monthly cost in `azs` AZs and the GB per month above which it beats NAT. */
  rows: Array<{ azs: number; fixedUsd: number; breakEvenGB: number }>;
  natPerGBUsd: number;
  endpointPerGBUsd: number;
}

/** endpoint: azs × AZ-hour × hours + GB × endpoint rate; NAT: GB × NAT rate (its hours are paid anyway). */
export function endpointBreakEven(prices: PriceTable, region: Region): BreakEven {
  const azHour = prices.price('privatelink.interface-endpoint.az-hour', region).usd;
  const natPerGBUsd = prices.price('vpc.nat-gateway.gb', region).usd;
  const endpointPerGBUsd = prices.price('privatelink.interface-endpoint.gb', region).usd;
  const rows = [1, 2, 3].map((azs) => {
    const fixedUsd = azs * azHour * prices.hoursPerMonth;
    return { azs, fixedUsd, breakEvenGB: fixedUsd / (natPerGBUsd - endpointPerGBUsd) };
  });
  return { region, rows, natPerGBUsd, endpointPerGBUsd };
}

/**
 * What each environment's interface endpoints save or cost at its assumed volume: the model priced as synthesized
 * vs. the same templates without interface endpoints and their GB sent through NAT instead.
 */
export function endpointsVsNat(stacks: readonly SynthStack[], config: PlatformConfig, prices: PriceTable) {
  const withEndpoints = estimate(stacks, config, prices);
  const withoutStacks = stacks.map((stack) => {
    const copy: SynthStack = structuredClone(stack);
    const resources = copy.template.Resources ?? {};
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.Type === 'AWS::EC2::VPCEndpoint' && resource.Properties?.VpcEndpointType === 'Interface') {
        delete resources[id];
      }
    }
    return copy;
  });
  const environments = config.environments.map(
    (env): ResolvedEnvironment => ({
      ...env,
      usage: { ...env.usage, natGB: env.usage.natGB + env.usage.endpointGB, endpointGB: 0 },
    }),
  );
  const withoutEndpoints = estimate(withoutStacks, withEnvironments(config, environments), prices);
  return config.environments
    .filter((env) => withEndpoints.accounts.some((a) => a.account === env.name))
    .map((env) => {
      const a = withEndpoints.accounts.find((x) => x.account === env.name)?.totalUsd ?? 0;
      const b = withoutEndpoints.accounts.find((x) => x.account === env.name)?.totalUsd ?? 0;
      return {
        account: env.name,
        endpointGB: env.usage.endpointGB,
        withEndpointsUsd: a,
        throughNatUsd: b,
        endpointsSaveUsd: b - a,
      };
    });
}

/**
 * A lever the chosen config does not pull (yet): interface endpoints in a single AZ in the given environments.
 * Returns the monthly saving per environment the model prices for it.
 */
export function endpointsInOneAz(
  stacks: readonly SynthStack[],
  config: PlatformConfig,
  prices: PriceTable,
  envNames: readonly string[],
): Array<{ account: string; savingUsd: number }> {
  const accounts = new Set(envNames.map((name) => config.environment(name).account.id));
  const chosen = estimate(stacks, config, prices);
  const oneAz = stacks.map((stack) => {
    const copy: SynthStack = structuredClone(stack);
    if (!accounts.has(stack.account)) return copy;
    for (const resource of Object.values(copy.template.Resources ?? {})) {
      const props = resource.Properties ?? {};
      if (resource.Type === 'AWS::EC2::VPCEndpoint' && props.VpcEndpointType === 'Interface') {
        if (Array.isArray(props.SubnetIds)) props.SubnetIds = props.SubnetIds.slice(0, 1);
      }
    }
    return copy;
  });
  const changed = estimate(oneAz, config, prices);
  return envNames.map((account) => ({
    account,
    savingUsd:
      (chosen.accounts.find((a) => a.account === account)?.totalUsd ?? 0) -
      (changed.accounts.find((a) => a.account === account)?.totalUsd ?? 0),
  }));
}
