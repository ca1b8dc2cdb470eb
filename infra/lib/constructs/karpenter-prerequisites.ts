/**
 * What Karpenter needs from AWS before its Helm chart (installed by Argo CD) can run (requirement EKS-2):
 * - the node role its nodes use, admitted to the cluster by an EC2_LINUX access entry (no aws-auth);
 * - the SQS interruption queue with EventBridge rules for spot interruption, rebalance, instance state change and
 *   scheduled (AWS Health) changes, so Karpenter drains nodes before AWS takes them away;
 * - the controller's permissions, scoped to this cluster's tagged resources (bound by Pod Identity in the workload
 *   identities construct).
 * Names come from config so the cdk8s side's EC2NodeClass and Helm values refer to exactly these.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The EventBridge events Karpenter's interruption handling consumes (Karpenter docs, "Interruption"). */
export const INTERRUPTION_EVENTS = {
  SpotInterruption: { source: ['aws.ec2'], detailType: ['EC2 Spot Instance Interruption Warning'] },
  Rebalance: { source: ['aws.ec2'], detailType: ['EC2 Instance Rebalance Recommendation'] },
  InstanceStateChange: { source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'] },
  ScheduledChange: { source: ['aws.health'], detailType: ['AWS Health Event'] },
} as const;

export interface KarpenterPrerequisitesProps {
  cluster: eks.ICluster;
  nodeRoleName: string;
  interruptionQueueName: string;
}

export class KarpenterPrerequisites extends Construct {
  readonly nodeRole: iam.Role;
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: KarpenterPrerequisitesProps) {
    super(scope, id);
    this.nodeRole = new iam.Role(this, 'NodeRole', {
      roleName: props.nodeRoleName,
      description: 'Nodes Karpenter launches (EC2NodeClass role)',
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodePolicy'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKS_CNI_Policy'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'),
      ],
    });
    new eks.AccessEntry(this, 'NodeAccess', {
      cluster: props.cluster,
      principal: this.nodeRole.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      accessPolicies: [],
    });

    this.queue = new sqs.Queue(this, 'InterruptionQueue', {
      queueName: props.interruptionQueueName,
      retentionPeriod: Duration.minutes(5),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    for (const [name, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
      new events.Rule(this, `${name}Rule`, {
        description: `Karpenter interruption handling: ${pattern.detailType[0]}`,
        eventPattern: { source: [...pattern.source], detailType: [...pattern.detailType] },
        targets: [new targets.SqsQueue(this.queue)],
      });
    }
  }

  /** The controller's permissions (Karpenter v1 reference policy, scoped to this cluster's tag). */
  controllerStatements(clusterName: string): iam.PolicyStatement[] {
    const { region, account, partition } = Stack.of(this);
    const arn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${account}:${resource}`;
    const clusterTag = `aws:ResourceTag/kubernetes.io/cluster/${clusterName}`;
    const requestClusterTag = `aws:RequestTag/kubernetes.io/cluster/${clusterName}`;
    // What launching a node creates: created with the cluster's tags, and tagged while being created.
    const launched = [
      'fleet',
      'instance',
      'volume',
      'network-interface',
      'launch-template',
      'spot-instances-request',
    ].map((type) => arn('ec2', `${type}/*`));
    return [
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2InstanceAccessActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [
          `arn:${partition}:ec2:${region}::image/*`,
          `arn:${partition}:ec2:${region}::snapshot/*`,
          arn('ec2', 'security-group/*'),
          arn('ec2', 'subnet/*'),
          arn('ec2', 'capacity-reservation/*'),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [arn('ec2', 'launch-template/*')],
        conditions: {
          StringEquals: { [clusterTag]: 'owned' },
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2InstanceActionsWithTags',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        resources: launched,
        conditions: {
          StringEquals: { [requestClusterTag]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': clusterName },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedResourceCreationTagging',
        actions: ['ec2:CreateTags'],
        resources: launched,
        conditions: {
          StringEquals: {
            [requestClusterTag]: 'owned',
            'aws:RequestTag/eks:eks-cluster-name': clusterName,
            'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
          },
          StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedResourceTagging',
        actions: ['ec2:CreateTags'],
        resources: [arn('ec2', 'instance/*')],
        conditions: {
          StringEquals: { [clusterTag]: 'owned' },
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
          StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
          'ForAllValues:StringEquals': {
            'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'],
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedDeletion',
        actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        resources: [arn('ec2', 'instance/*'), arn('ec2', 'launch-template/*')],
        conditions: {
          StringEquals: { [clusterTag]: 'owned' },
          StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowRegionalReadActions',
        actions: [
          'ec2:DescribeCapacityReservations',
          'ec2:DescribeImages',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': region } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowSSMReadActions',
        actions: ['ssm:GetParameter'],
        resources: [`arn:${partition}:ssm:${region}::parameter/aws/service/*`],
      }),
      new iam.PolicyStatement({ sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'AllowInterruptionQueueActions',
        actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        resources: [this.queue.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'AllowPassingInstanceRole',
        actions: ['iam:PassRole'],
        resources: [this.nodeRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileCreationActions',
        actions: ['iam:CreateInstanceProfile', 'iam:TagInstanceProfile'],
        resources: [`arn:${partition}:iam::${account}:instance-profile/*`],
        conditions: {
          StringEquals: {
            [requestClusterTag]: 'owned',
            'aws:RequestTag/eks:eks-cluster-name': clusterName,
            'aws:RequestTag/topology.kubernetes.io/region': region,
          },
          StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileActions',
        actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
        resources: [`arn:${partition}:iam::${account}:instance-profile/*`],
        conditions: {
          StringEquals: { [clusterTag]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': region },
          StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowInstanceProfileReadActions',
        actions: ['iam:GetInstanceProfile', 'iam:ListInstanceProfiles'],
        resources: [`arn:${partition}:iam::${account}:instance-profile/*`],
      }),
      new iam.PolicyStatement({
        sid: 'AllowAPIServerEndpointDiscovery',
        actions: ['eks:DescribeCluster'],
        resources: [arn('eks', `cluster/${clusterName}`)],
      }),
    ];
  }
}
