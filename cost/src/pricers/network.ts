/**
 * NAT gateways, NAT instances, public IPv4 addresses and VPC endpoints (fixed hours; the GB they process are usage
 * lines).
 */
import { type CostLine, noCharge, priced } from '../lines.ts';
import type { CfnResource } from '../synth.ts';
import { booleanProp, type Pricer, prop, stringProp, UnpricedError } from './context.ts';

/** A NAT gateway's hours; its Elastic IP is priced on its own (AWS::EC2::EIP). */
export const natGateway: Pricer = ({ prices, owner }) => [
  priced(prices, owner, 'NAT gateway hours', 'fixed', 'vpc.nat-gateway.hour', prices.hoursPerMonth),
];

/** An EC2 instance that forwards traffic for others: what CDK's NAT instance provider creates (source/dest check off). */
export function isNatInstance(resource: CfnResource): boolean {
  return resource.Type === 'AWS::EC2::Instance' && resource.Properties?.SourceDestCheck === false;
}

/**
 * An EC2 instance (the only ones in the templates are NAT instances): its on-demand hours all month and its gp3
 * root volume. Its public address is the Elastic IP beside it; there is no per-GB charge (usage rule
 * `nat-instance-data`).
 */
export const ec2Instance: Pricer = ({ prices, owner, resource }) => {
  const instanceType = stringProp(resource, 'InstanceType');
  if (instanceType === undefined) throw new UnpricedError('no literal InstanceType');
  const role = booleanProp(resource, 'SourceDestCheck') === false ? 'NAT instance' : 'EC2 instance';
  const mappings = prop(resource, 'BlockDeviceMappings');
  const ebs = Array.isArray(mappings)
    ? (mappings as Array<{ Ebs?: { VolumeSize?: unknown; VolumeType?: unknown } }>).map((m) => m.Ebs).find(Boolean)
    : undefined;
  if (typeof ebs?.VolumeSize !== 'number') {
    throw new UnpricedError('root volume size not in the template (BlockDeviceMappings)');
  }
  if (ebs.VolumeType !== 'gp3')
    throw new UnpricedError(`root volume type ${String(ebs.VolumeType)} is not priced (gp3 only)`);
  const lines: CostLine[] = [
    priced(
      prices,
      owner,
      `${role} ${instanceType} hours`,
      'fixed',
      `ec2.on-demand.${instanceType}`,
      prices.hoursPerMonth,
    ),
    priced(prices, owner, `${role} ${ebs.VolumeSize} GiB gp3 root volume`, 'fixed', 'ebs.gp3.gb-month', ebs.VolumeSize),
  ];
  return lines;
};

export const elasticIp: Pricer = ({ prices, owner }) => [
  priced(prices, owner, 'public IPv4 address hours', 'fixed', 'vpc.public-ipv4.hour', prices.hoursPerMonth),
];

export const vpcEndpoint: Pricer = ({ prices, owner, resource }) => {
  const kind = stringProp(resource, 'VpcEndpointType') ?? 'Gateway';
  if (kind === 'Gateway') return [noCharge(owner, 'gateway endpoint (no charge)')];
  if (kind !== 'Interface') throw new UnpricedError(`endpoint type ${kind} is not priced`);
  const subnets = prop(resource, 'SubnetIds');
  if (!Array.isArray(subnets)) throw new UnpricedError('SubnetIds is not a literal list (cannot count AZs)');
  const azs = subnets.length;
  return [
    priced(
      prices,
      owner,
      `interface endpoint ${endpointService(resource.Properties?.ServiceName)} in ${azs} AZ`,
      'fixed',
      'privatelink.interface-endpoint.az-hour',
      azs * prices.hoursPerMonth,
    ),
  ];
};

/** `com.amazonaws.us-east-1.ecr.dkr` → `ecr.dkr`, also out of the `Fn::Join` CDK writes. */
function endpointService(name: unknown): string {
  const text = typeof name === 'string' ? name : JSON.stringify(name ?? '');
  const match = /(?:com\.amazonaws\.[a-z0-9-]+\.|\.)([a-z0-9.-]+?)"?\]*\}*$/.exec(text);
  return match?.[1] ?? text;
}
