/**
 * The subnet CIDRs the CDK VPC allocates, derived from the same config values (`network.vpcCidr`,
 * `network.subnetMasks`, `network.azCount`) and the same rule `ec2.IpAddresses.cidr` applies: tiers in the order
 * public → app → db, one subnet per AZ, each placed at the next free address aligned to its own mask.
 * NetworkPolicies use the db tier (API → PostgreSQL); the CDK side can assert its template against this function.
 */
import type { ResolvedEnvironment } from '@innovate/config';

export type SubnetTier = 'public' | 'app' | 'db';
const TIER_ORDER: readonly SubnetTier[] = ['public', 'app', 'db'];

export function subnetCidrs(network: ResolvedEnvironment['network']): Record<SubnetTier, string[]> {
  const [base = '', prefix = '0'] = network.vpcCidr.split('/');
  const vpcStart = toInt(base);
  const vpcEnd = vpcStart + 2 ** (32 - Number(prefix));
  let next = vpcStart;
  const result: Record<SubnetTier, string[]> = { public: [], app: [], db: [] };
  for (const tier of TIER_ORDER) {
    const size = 2 ** (32 - network.subnetMasks[tier]);
    for (let az = 0; az < network.azCount; az++) {
      const start = Math.ceil(next / size) * size;
      if (start + size > vpcEnd) {
        throw new Error(`network.subnetMasks.${tier}: subnets do not fit in ${network.vpcCidr}`);
      }
      result[tier].push(`${toDotted(start)}/${network.subnetMasks[tier]}`);
      next = start + size;
    }
  }
  return result;
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toDotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
