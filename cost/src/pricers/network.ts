/** NAT gateways, public IPv4 addresses and VPC endpoints (fixed hours; the GB they process are usage lines). */
import { noCharge, priced } from '../lines.ts';
import { type Pricer, prop, stringProp, UnpricedError } from './context.ts';

/** A NAT gateway's hours; its Elastic IP is priced on its own (AWS::EC2::EIP). */
export const natGateway: Pricer = ({ prices, owner }) => [
  priced(prices, owner, 'NAT gateway hours', 'fixed', 'vpc.nat-gateway.hour', prices.hoursPerMonth),
];

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
