/**
 * How the private-app subnets reach the internet, from the network block's `nat` (ADR 0160): AWS's NAT gateways, or
 * for a non-production environment CDK's maintained NAT instance provider (`NatInstanceProviderV2`) on Graviton.
 *
 * The provider must exist before the VPC (the VPC asks it to configure its subnets), and the instances only after:
 * `natProviderFor` builds it, `hardenNatInstances` finishes the instances once the VPC has created them.
 */
import type { ResolvedEnvironment } from '@innovate/config';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';

type NatConfig = ResolvedEnvironment['network']['nat'];

/**
 * Root volume of a NAT instance: the size of the Amazon Linux 2023 image's own snapshot (the instance keeps no data).
 * The cost model prices this size from the template.
 */
export const NAT_INSTANCE_ROOT_GIB = 8;
/** The device Amazon Linux 2023 boots from. */
const AL2023_ROOT_DEVICE = '/dev/xvda';

export function natProviderFor(nat: NatConfig): ec2.NatProvider {
  if (nat.provider === 'gateway') return ec2.NatProvider.gateway();
  if (nat.instanceType === undefined) throw new Error('network.nat.instanceType: required when provider is instance');
  return ec2.NatProvider.instanceV2({
    instanceType: new ec2.InstanceType(nat.instanceType),
    // Resolved by CloudFormation from AWS's public SSM parameter at each deploy: synth stays offline (no context
    // lookup), and a deploy after a new image is released replaces the instance with a patched one.
    machineImage: new ec2.AmazonLinux2023ImageSsmParameter({
      cpuType: ec2.AmazonLinuxCpuType.ARM_64,
      // AWS's recommended kernel line (`latestAmazonLinux2023` would pin the one CDK last tested).
      kernel: ec2.AmazonLinux2023Kernel.DEFAULT,
      cachedInContext: false,
    }),
    // No inbound from anywhere by default: `hardenNatInstances` admits the VPC's own CIDR only.
    defaultAllowedTraffic: ec2.NatTrafficDirection.OUTBOUND_ONLY,
    // A NAT forwards packets, it does not compute: a burst credit shortfall must not throttle egress to a trickle.
    creditSpecification: ec2.CpuCredits.UNLIMITED,
  });
}

/**
 * Finishes the NAT instances the provider created (call after the VPC): the VPC's CIDR is the only inbound source; IMDSv2 is
 * required (an account guardrail refuses RunInstances without it); the root volume is encrypted gp3 and carries the
 * instance's cost tags (another guardrail refuses an untagged volume); Session Manager can reach the instance for
 * patching; and an Elastic IP keeps the egress address stable across stops and replacements (partners allow-list it).
 * Does nothing for a NAT gateway provider.
 */
export function hardenNatInstances(provider: ec2.NatProvider, vpcCidr: string): ec2.Instance[] {
  if (!(provider instanceof ec2.NatInstanceProviderV2)) return [];
  provider.connections.allowFrom(
    ec2.Peer.ipv4(vpcCidr),
    ec2.Port.allTraffic(),
    'Traffic from the VPC to forward to the internet',
  );
  const instances = provider.gatewayInstances;
  for (const instance of instances) {
    const cfn = instance.instance;
    cfn.metadataOptions = { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1 };
    cfn.blockDeviceMappings = [
      {
        deviceName: AL2023_ROOT_DEVICE,
        ebs: { encrypted: true, volumeType: 'gp3', volumeSize: NAT_INSTANCE_ROOT_GIB, deleteOnTermination: true },
      },
    ];
    cfn.propagateTagsToVolumeOnCreation = true;
    instance.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'));
    const subnet = instance.node.scope;
    if (subnet === undefined) throw new Error(`NAT instance ${instance.node.path} has no subnet scope`);
    new ec2.CfnEIP(subnet as ec2.Subnet, 'NatInstanceEip', { domain: 'vpc', instanceId: instance.instanceId });
  }
  return instances;
}
