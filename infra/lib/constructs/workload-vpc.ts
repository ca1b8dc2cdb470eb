/**
 * The environment's VPC (requirement NET-1): three AZs, public / private-app / private-db subnets, NAT per config
 * (gateways or a NAT instance, nat-provider.ts), flow logs.
 *
 * Subnet tiers are named so other stacks select them by name, never by index. The app subnets carry the tags the AWS
 * Load Balancer Controller and Karpenter discover subnets by, so no subnet id is copied into Kubernetes manifests.
 */
import type { ResolvedEnvironment, SubnetGroup, SubnetLayout } from '@innovate/config';
import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LogsKey } from './logs-key.ts';
import { hardenNatInstances, natProviderFor } from './nat-provider.ts';

export const SUBNET_TIERS = { public: 'public', app: 'private-app', db: 'private-db' } as const satisfies Record<
  SubnetGroup,
  string
>;

export interface WorkloadVpcProps {
  /** The environment's network block: CIDR, AZ count, NAT provider and count, flow-log retention. */
  network: ResolvedEnvironment['network'];
  /**
   * The subnet layout config computes from the network block (`subnetLayout`): each group's mask comes from it, so
   * CDK allocates exactly the CIDRs the NetworkPolicies name (a network-stack test compares them).
   */
  subnetLayout: SubnetLayout;
  /** `Name` tag of the VPC (config `names.vpcName`): the Load Balancer Controller finds its VPC by it. */
  vpcName: string;
  /** Karpenter's subnet discovery tag (from config names), put on the app subnets. */
  karpenterDiscoveryTag: { key: string; value: string };
}

export class WorkloadVpc extends Construct {
  readonly vpc: ec2.Vpc;
  /** The CMK that encrypts the flow log group. */
  readonly flowLogKey: kms.Key;
  /** The NAT instances (none when the environment uses NAT gateways). */
  readonly natInstances: ec2.Instance[];

  constructor(scope: Construct, id: string, props: WorkloadVpcProps) {
    super(scope, id);
    const { network, subnetLayout } = props;
    const natGatewayProvider = natProviderFor(network.nat);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(network.vpcCidr),
      maxAzs: network.azCount,
      natGateways: network.nat.count,
      natGatewayProvider,
      subnetConfiguration: [
        // In the layout's group order: CDK places the groups one after another, as `subnetLayout` does.
        { name: SUBNET_TIERS.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: subnetLayout.public.cidrMask },
        { name: SUBNET_TIERS.app, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: subnetLayout.app.cidrMask },
        { name: SUBNET_TIERS.db, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: subnetLayout.db.cidrMask },
      ],
      // Public IPs only where a NAT gateway or instance or an internet-facing ALB needs them.
      createInternetGateway: true,
    });
    this.natInstances = hardenNatInstances(natGatewayProvider, network.vpcCidr);

    Tags.of(this.vpc).add('Name', props.vpcName, { includeResourceTypes: ['AWS::EC2::VPC'], priority: 200 });
    for (const subnet of this.vpc.publicSubnets) Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    for (const subnet of this.vpc.privateSubnets) {
      Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
      Tags.of(subnet).add(props.karpenterDiscoveryTag.key, props.karpenterDiscoveryTag.value);
    }

    this.flowLogKey = new LogsKey(this, 'FlowLogKey', { purpose: 'VPC flow logs' }).key;
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: network.flowLogRetentionDays as logs.RetentionDays,
      encryptionKey: this.flowLogKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });
  }

  subnets(tier: keyof typeof SUBNET_TIERS): ec2.SelectedSubnets {
    return this.vpc.selectSubnets({ subnetGroupName: SUBNET_TIERS[tier] });
  }
}
