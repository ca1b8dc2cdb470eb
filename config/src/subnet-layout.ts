/**
 * The subnet layout of an environment's VPC, computed once from config (`network.vpcCidr`, `network.subnetMasks`,
 * `network.azCount`) and read by both sides: the CDK VPC takes each group's mask from it, the NetworkPolicies take the
 * CIDRs (requirement NET-3). An infra test compares every synthesized subnet with this layout, so the two cannot drift.
 *
 * The rule is the one `ec2.IpAddresses.cidr` applies: groups in the order public → app → db, one subnet per AZ, each
 * placed at the next free address aligned to its own mask.
 */

/** A subnet group of the VPC; the CDK side names them public / private-app / private-db. */
export type SubnetGroup = 'public' | 'app' | 'db';

/** The order the VPC lists its groups in, which decides where each one lands in the VPC's range. */
export const SUBNET_GROUPS: readonly SubnetGroup[] = ['public', 'app', 'db'];

export interface SubnetGroupLayout {
  /** Prefix length of every subnet in the group. */
  cidrMask: number;
  /** One CIDR per AZ, in AZ order (the first is in the VPC's first AZ). */
  cidrs: string[];
}

export type SubnetLayout = Record<SubnetGroup, SubnetGroupLayout>;

/** The part of the environment's network block the layout depends on. */
export interface SubnetLayoutInput {
  vpcCidr: string;
  azCount: number;
  subnetMasks: Record<SubnetGroup, number>;
}

export function subnetLayout(network: SubnetLayoutInput): SubnetLayout {
  const [base = '', prefix = '0'] = network.vpcCidr.split('/');
  const vpcStart = toInt(base);
  const vpcEnd = vpcStart + 2 ** (32 - Number(prefix));
  let next = vpcStart;
  const layout = {} as SubnetLayout;
  for (const group of SUBNET_GROUPS) {
    const cidrMask = network.subnetMasks[group];
    const size = 2 ** (32 - cidrMask);
    const cidrs: string[] = [];
    for (let az = 0; az < network.azCount; az++) {
      const start = Math.ceil(next / size) * size;
      if (start + size > vpcEnd) {
        throw new Error(`network.subnetMasks.${group}: subnets do not fit in ${network.vpcCidr}`);
      }
      cidrs.push(`${toDotted(start)}/${cidrMask}`);
      next = start + size;
    }
    layout[group] = { cidrMask, cidrs };
  }
  return layout;
}

function toInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toDotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
