/**
 * Stateless guardrail for the database tier (requirement NET-3): the private-db subnets accept PostgreSQL (5432) from the
 * private-app subnets only, and answer on ephemeral ports. Security groups remain the primary control; this NACL makes
 * a mistaken security group rule unable to expose the database to the public tier.
 *
 * The db tier also admits 5432 from itself, for RDS Proxy (a config flag) whose interfaces live in the same subnets.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export const POSTGRES_PORT = 5432;

export interface DatabaseSubnetAclProps {
  vpc: ec2.IVpc;
  /** Subnets that may open connections to the database (private-app). */
  clientSubnets: ec2.ISubnet[];
  /** The database subnets the NACL is attached to (private-db). */
  databaseSubnets: ec2.ISubnet[];
}

export class DatabaseSubnetAcl extends Construct {
  readonly acl: ec2.NetworkAcl;

  constructor(scope: Construct, id: string, props: DatabaseSubnetAclProps) {
    super(scope, id);
    this.acl = new ec2.NetworkAcl(this, 'Acl', {
      vpc: props.vpc,
      subnetSelection: { subnets: props.databaseSubnets },
    });
    const peers = [...props.clientSubnets, ...props.databaseSubnets];
    peers.forEach((subnet, index) => {
      const cidr = ec2.AclCidr.ipv4(subnet.ipv4CidrBlock);
      this.acl.addEntry(`PostgresIn${index}`, {
        ruleNumber: 100 + index,
        cidr,
        traffic: ec2.AclTraffic.tcpPort(POSTGRES_PORT),
        direction: ec2.TrafficDirection.INGRESS,
        ruleAction: ec2.Action.ALLOW,
      });
      this.acl.addEntry(`EphemeralOut${index}`, {
        ruleNumber: 100 + index,
        cidr,
        traffic: ec2.AclTraffic.tcpPortRange(1024, 65535),
        direction: ec2.TrafficDirection.EGRESS,
        ruleAction: ec2.Action.ALLOW,
      });
    });
    // RDS Proxy → instance inside the db tier: the proxy opens 5432 and receives the answers on ephemeral ports.
    props.databaseSubnets.forEach((subnet, index) => {
      const cidr = ec2.AclCidr.ipv4(subnet.ipv4CidrBlock);
      this.acl.addEntry(`PostgresOut${index}`, {
        ruleNumber: 200 + index,
        cidr,
        traffic: ec2.AclTraffic.tcpPort(POSTGRES_PORT),
        direction: ec2.TrafficDirection.EGRESS,
        ruleAction: ec2.Action.ALLOW,
      });
      this.acl.addEntry(`EphemeralIn${index}`, {
        ruleNumber: 200 + index,
        cidr,
        traffic: ec2.AclTraffic.tcpPortRange(1024, 65535),
        direction: ec2.TrafficDirection.INGRESS,
        ruleAction: ec2.Action.ALLOW,
      });
    });
  }
}
