/**
 * Data processed by the VPC's NAT (gateway or instance) and interface endpoints (config `usage.natGB`,
 * `usage.endpointGB`).
 */
import { isNatInstance } from '../pricers/network.ts';
import type { UsageRule } from './rule.ts';

export const networkRules: readonly UsageRule[] = [
  {
    id: 'nat-data',
    owner: 'AWS::EC2::NatGateway',
    fields: ['natGB'],
    appliesWhen: (ctx) => ctx.has('AWS::EC2::NatGateway'),
    item: 'NAT data processed',
    price: 'vpc.nat-gateway.gb',
    unit: 'GB processed',
    quantity: (ctx) => ctx.usage.natGB,
  },
  {
    // The same bytes through a NAT instance: a line at no charge, so the assumption shows where it went. (Config
    // builds one kind of NAT per environment, so no account holds both.)
    id: 'nat-instance-data',
    owner: 'AWS::EC2::Instance',
    fields: ['natGB'],
    appliesWhen: (ctx) => ctx.resources.some((r) => isNatInstance(r.resource)),
    item: 'NAT instance data forwarded (no per-GB charge)',
    price: 'vpc.nat-instance.gb',
    unit: 'GB processed',
    quantity: (ctx) => ctx.usage.natGB,
  },
  {
    id: 'interface-endpoint-data',
    owner: 'AWS::EC2::VPCEndpoint',
    fields: ['endpointGB'],
    // Gateway endpoints (S3) process data free of charge.
    appliesWhen: (ctx) =>
      ctx.resources.some(
        (r) => r.resource.Type === 'AWS::EC2::VPCEndpoint' && r.resource.Properties?.VpcEndpointType === 'Interface',
      ),
    item: 'interface endpoint data processed',
    price: 'privatelink.interface-endpoint.gb',
    unit: 'GB processed',
    quantity: (ctx) => ctx.usage.endpointGB,
  },
];
