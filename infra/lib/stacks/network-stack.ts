/** network: the VPC, its endpoints, flow logs and the database-tier NACL. Only wires constructs. */
import { subnetLayout } from '@innovate/config';
import { Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { DatabaseSubnetAcl } from '../constructs/database-subnet-acl.ts';
import { VpcEndpoints } from '../constructs/vpc-endpoints.ts';
import { SUBNET_TIERS, WorkloadVpc } from '../constructs/workload-vpc.ts';
import type { WorkloadStackProps } from '../workload-stack-props.ts';

export class NetworkStack extends Stack {
  readonly network: WorkloadVpc;

  constructor(scope: Construct, id: string, props: WorkloadStackProps) {
    super(scope, id, props);
    const env = props.environment;
    this.network = new WorkloadVpc(this, 'Network', {
      network: env.network,
      subnetLayout: subnetLayout(env.network),
      vpcName: env.names.vpcName,
      karpenterDiscoveryTag: env.names.karpenterDiscoveryTag,
    });
    new VpcEndpoints(this, 'Endpoints', {
      vpc: this.network.vpc,
      vpcCidr: env.network.vpcCidr,
      subnetGroupName: SUBNET_TIERS.app,
      services: env.costPolicy.interfaceEndpoints.services,
      azCount: env.costPolicy.interfaceEndpoints.azCount,
    });
    new DatabaseSubnetAcl(this, 'DatabaseAcl', {
      vpc: this.network.vpc,
      clientSubnets: this.network.subnets('app').subnets,
      databaseSubnets: this.network.subnets('db').subnets,
    });
  }

  get vpc(): ec2.Vpc {
    return this.network.vpc;
  }
}
