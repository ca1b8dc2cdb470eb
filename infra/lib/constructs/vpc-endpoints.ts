/**
 * VPC endpoints (spec §3): S3 gateway, and interface endpoints so nodes pull images, read secrets and reach STS,
 * CloudWatch Logs, Session Manager and the Cognito user pool's keys without leaving the VPC. Interface endpoints
 * admit HTTPS from the VPC only.
 */
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

export interface VpcEndpointsProps {
  vpc: ec2.IVpc;
  /** The VPC's CIDR as configured (a literal, so reviewers and cdk-nag see exactly what is admitted). */
  vpcCidr: string;
  /** Where the interface endpoints' network interfaces live (the private-app subnets). */
  subnets: ec2.SubnetSelection;
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

    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      vpc.addInterfaceEndpoint(name, {
        service,
        subnets: props.subnets,
        securityGroups: [this.securityGroup],
        privateDnsEnabled: true,
        open: false,
      });
    }
  }
}
