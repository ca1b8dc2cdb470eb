/**
 * VPC endpoints (requirement NET-2): S3 gateway, and the interface endpoints the environment's cost policy keeps (config
 * `costPolicy.interfaceEndpoints`), so nodes pull images, read secrets and reach STS, CloudWatch Logs, Session
 * Manager and the Cognito user pool's keys without leaving the VPC. Interface endpoints admit HTTPS from the VPC only.
 */
import type { InterfaceEndpointService } from '@innovate/config';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** The interface endpoints, by the construct id each gets (tests look them up by service name). */
export const INTERFACE_ENDPOINTS = {
  EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDkr: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  Ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
  SsmMessages: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
  Ec2Messages: ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
  // The API verifies sign-in tokens against the user pool's keys (discovery document, JWKS): its pods may reach
  // HTTPS only inside the VPC (their NetworkPolicy), so Cognito's user pool API is reached through this endpoint.
  CognitoIdp: ec2.InterfaceVpcEndpointAwsService.COGNITO_IDP,
} as const;

/** Config's service name → the construct id of its endpoint (ids predate the policy: kept so nothing is replaced). */
export const ENDPOINT_ID_BY_SERVICE: Readonly<Record<InterfaceEndpointService, keyof typeof INTERFACE_ENDPOINTS>> = {
  'ecr.api': 'EcrApi',
  'ecr.dkr': 'EcrDkr',
  sts: 'Sts',
  logs: 'Logs',
  secretsmanager: 'SecretsManager',
  ssm: 'Ssm',
  ssmmessages: 'SsmMessages',
  ec2messages: 'Ec2Messages',
  'cognito-idp': 'CognitoIdp',
};

export interface VpcEndpointsProps {
  vpc: ec2.IVpc;
  /** The VPC's CIDR as configured (a literal, so reviewers and cdk-nag see exactly what is admitted). */
  vpcCidr: string;
  /** The private-app subnet tier's name: the endpoints' network interfaces live in its first `azCount` AZs. */
  subnetGroupName: string;
  /** Interface endpoints to create (config `costPolicy.interfaceEndpoints.services`). */
  services: readonly InterfaceEndpointService[];
  /** AZs each interface endpoint spans (config `costPolicy.interfaceEndpoints.azCount`). */
  azCount: number;
}

export class VpcEndpoints extends Construct {
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    const { vpc } = props;
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'Interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.ipv4(props.vpcCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');

    const subnets: ec2.SubnetSelection = {
      subnetGroupName: props.subnetGroupName,
      availabilityZones: vpc.availabilityZones.slice(0, props.azCount),
    };
    for (const service of props.services) {
      const name = ENDPOINT_ID_BY_SERVICE[service];
      vpc.addInterfaceEndpoint(name, {
        service: INTERFACE_ENDPOINTS[name],
        subnets,
        securityGroups: [this.securityGroup],
        privateDnsEnabled: true,
        open: false,
      });
    }
  }
}
