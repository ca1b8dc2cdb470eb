/**
 * What keeps the API's ALB reachable only through CloudFront (requirement EDGE-2, ADR 0024): a security group that admits
 * HTTPS only from CloudFront's origin-facing managed prefix list, and a regional WAF web ACL that blocks every
 * request without the secret origin-verify header. The ALB itself is made by the Load Balancer Controller; the
 * Ingress attaches both by name (config `names.albSecurityGroupName`, `names.originVerifyWebAclName`).
 */
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { InfraConfigError } from '../infra-config-error.ts';
import { addWafLogging } from './waf-logging.ts';

/**
 * The AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing`, by region. Its id differs per region
 * and a lookup would need AWS credentials at synth; docs/deployment.md shows the command that confirms the id.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS: Record<string, string> = {
  'us-east-1': 'pl-3b927c52',
  'us-west-2': 'pl-82a045eb',
};

export interface AlbOriginGuardProps {
  vpc: ec2.IVpc;
  region: string;
  securityGroupName: string;
  webAclName: string;
  /** Header name and a `{{resolve:secretsmanager:...}}` reference to its value. */
  header: { name: string; valueReference: string };
  /** Key and retention of the WAF log group. */
  logsKey: kms.IKey;
  logRetentionDays: number;
}

export class AlbOriginGuard extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: AlbOriginGuardProps) {
    super(scope, id);
    const prefixList = CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[props.region];
    if (!prefixList) {
      throw new InfraConfigError(`region: no CloudFront origin-facing prefix list known for ${props.region}`);
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      securityGroupName: props.securityGroupName,
      description: 'API ALB: HTTPS only from CloudFront origin-facing addresses',
      allowAllOutbound: false,
    });
    Tags.of(this.securityGroup).add('Name', props.securityGroupName);
    this.securityGroup.addIngressRule(ec2.Peer.prefixList(prefixList), ec2.Port.tcp(443), 'CloudFront origin-facing');
    // Targets are pods (target-type ip) in the VPC; the controller adds the matching rule on the node side.
    this.securityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcpRange(1024, 65535), 'To pods');

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.webAclName,
      scope: 'REGIONAL',
      description: 'Blocks requests to the API ALB that did not come through CloudFront',
      defaultAction: { block: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: props.webAclName },
      rules: [
        {
          name: 'allow-origin-verify-header',
          priority: 0,
          action: { allow: {} },
          statement: {
            byteMatchStatement: {
              fieldToMatch: { singleHeader: { Name: props.header.name.toLowerCase() } },
              positionalConstraint: 'EXACTLY',
              searchString: props.header.valueReference,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            sampledRequestsEnabled: false,
            metricName: `${props.webAclName}-allowed`,
          },
        },
      ],
    });
    addWafLogging(this, {
      webAcl: this.webAcl,
      webAclName: props.webAclName,
      logGroupId: 'WafLogs',
      logRetentionDays: props.logRetentionDays,
      logsKey: props.logsKey,
      // The header value is the secret; it must never reach the logs.
      redactedHeaders: [props.header.name.toLowerCase()],
    });
  }
}
