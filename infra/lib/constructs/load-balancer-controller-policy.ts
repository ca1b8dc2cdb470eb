/**
 * Permissions of the AWS Load Balancer Controller, following the controller's published reference policy (v2.x):
 * read-only discovery everywhere; creating load balancers, target groups and security groups only with the
 * controller's cluster tag (`elbv2.k8s.aws/cluster` = this cluster's name); changing or deleting only resources that
 * carry that tag.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

export function loadBalancerControllerStatements(scope: IConstruct, clusterName: string): iam.PolicyStatement[] {
  const { region, account, partition } = Stack.of(scope);
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:${region}:${account}:${resource}`;
  // Tighter than the reference policy's "tag present": the tag must name THIS cluster.
  const resourceTag = { 'aws:ResourceTag/elbv2.k8s.aws/cluster': clusterName };
  const requestTag = { 'aws:RequestTag/elbv2.k8s.aws/cluster': clusterName };
  const taggedByCluster = { StringEquals: resourceTag };
  const requestTaggedByCluster = { StringEquals: requestTag };
  const lbResources = [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')];
  return [
    new iam.PolicyStatement({
      sid: 'CreateServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: ['*'],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      sid: 'Discovery',
      actions: [
        'ec2:DescribeAccountAttributes',
        'ec2:DescribeAddresses',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeTags',
        'ec2:GetCoipPoolUsage',
        'ec2:DescribeCoipPools',
        'ec2:GetSecurityGroupsForVpc',
        'ec2:DescribeIpamPools',
        'ec2:DescribeRouteTables',
        'elasticloadbalancing:Describe*',
        'acm:ListCertificates',
        'acm:DescribeCertificate',
        'wafv2:GetWebACL',
        'wafv2:GetWebACLForResource',
        // The Ingress names its web ACL (`alb.ingress.kubernetes.io/wafv2-acl-name`); v2.14 resolves the name to an
        // ARN by listing the regional web ACLs (WAF has no get-by-name), so this list call is required.
        'wafv2:ListWebACLs',
        'shield:GetSubscriptionState',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'AttachWafAndShield',
      actions: [
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'shield:DescribeProtection',
        'shield:CreateProtection',
        'shield:DeleteProtection',
      ],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': region } },
    }),
    new iam.PolicyStatement({
      sid: 'CreateSecurityGroupInVpc',
      actions: ['ec2:CreateSecurityGroup'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': region } },
    }),
    new iam.PolicyStatement({
      sid: 'TagNewSecurityGroups',
      actions: ['ec2:CreateTags'],
      resources: [`arn:${partition}:ec2:${region}:${account}:security-group/*`],
      conditions: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...requestTag } },
    }),
    new iam.PolicyStatement({
      sid: 'ManageOwnSecurityGroups',
      actions: [
        'ec2:CreateTags',
        'ec2:DeleteTags',
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:DeleteSecurityGroup',
      ],
      resources: [`arn:${partition}:ec2:${region}:${account}:security-group/*`],
      conditions: taggedByCluster,
    }),
    // The Ingress brings its own frontend security group (`names.albSecurityGroupName`) with
    // `manage-backend-security-group-rules`: the controller then opens the pods' port on the security group of the
    // target ENIs, which is the EKS cluster security group (every node, managed or Karpenter's, carries it). The
    // reference policy allows this on every security group; here only on this cluster's, which EKS tags.
    new iam.PolicyStatement({
      sid: 'BackendRulesOnClusterSecurityGroup',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      resources: [`arn:${partition}:ec2:${region}:${account}:security-group/*`],
      conditions: { StringEquals: { 'aws:ResourceTag/aws:eks:cluster-name': clusterName } },
    }),
    new iam.PolicyStatement({
      sid: 'CreateTaggedLoadBalancers',
      actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      resources: ['*'],
      conditions: requestTaggedByCluster,
    }),
    new iam.PolicyStatement({
      sid: 'ManageListenersAndRules',
      actions: [
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
      ],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': region } },
    }),
    new iam.PolicyStatement({
      sid: 'TagOwnLoadBalancers',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: lbResources,
      conditions: taggedByCluster,
    }),
    new iam.PolicyStatement({
      sid: 'TagListenersAndRules',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [
        elb('listener/net/*/*/*'),
        elb('listener/app/*/*/*'),
        elb('listener-rule/net/*/*/*'),
        elb('listener-rule/app/*/*/*'),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'TagOnCreate',
      actions: ['elasticloadbalancing:AddTags'],
      resources: lbResources,
      conditions: {
        StringEquals: {
          'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'],
          ...requestTag,
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ModifyOwnLoadBalancers',
      actions: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:ModifyCapacityReservation',
        'elasticloadbalancing:ModifyIpPools',
      ],
      resources: ['*'],
      conditions: taggedByCluster,
    }),
    new iam.PolicyStatement({
      sid: 'RegisterTargets',
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [elb('targetgroup/*/*')],
    }),
    new iam.PolicyStatement({
      sid: 'ManageListenerSettings',
      actions: [
        'elasticloadbalancing:SetWebAcl',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
      ],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': region } },
    }),
  ];
}
