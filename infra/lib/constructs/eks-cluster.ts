/**
 * The EKS cluster (requirement EKS-1) on `aws-eks-v2`: native `AWS::EKS::Cluster`, access entries only (no aws-auth),
 * secrets encrypted with a CMK, every control-plane log type, private API endpoint (public only from configured
 * CIDRs), managed add-ons, and a small on-demand node group tainted for system pods. Karpenter provisions the rest.
 */

import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import type { ResolvedEnvironment } from '@innovate/config';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { InfraConfigError } from '../infra-config-error.ts';

/** Every control-plane log type EKS offers (requirement EKS-1). */
export const CONTROL_PLANE_LOG_TYPES = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

/**
 * EKS managed add-ons installed as `AWS::EKS::Addon` (versions: EKS picks the default for the cluster version at
 * creation; upgrades are explicit changes here). ebs-csi is absent on purpose: no workload uses EBS volumes.
 */
export const MANAGED_ADDONS = {
  'vpc-cni': { enableNetworkPolicy: 'true' },
  coredns: undefined,
  'kube-proxy': undefined,
  'eks-pod-identity-agent': undefined,
  'metrics-server': undefined,
} as const satisfies Record<string, Record<string, string> | undefined>;

/**
 * The managed node group's taint (config `names.systemNodes.taint`, which deploy/ tolerates too) in the node group's
 * spelling: it keeps everything but system pods (Karpenter, CoreDNS, Argo CD) off these nodes.
 */
export function systemNodeTaint(names: ResolvedEnvironment['names']): eks.TaintSpec {
  const { key, value, effect } = names.systemNodes.taint;
  const effects = { NoSchedule: eks.TaintEffect.NO_SCHEDULE } as const;
  return { key, value, effect: effects[effect] };
}

/** Kubernetes versions this module knows, by the `cluster.kubernetesVersion` string of the config. */
const VERSIONS: Record<string, eks.KubernetesVersion> = {
  '1.35': eks.KubernetesVersion.V1_35,
  '1.36': eks.KubernetesVersion.V1_36,
};

/** The system node group's name: the EKS API (and the off-hours schedules) address it by name. */
export function systemNodegroupName(clusterName: string): string {
  return `${clusterName}-system`;
}

export interface EksClusterProps {
  vpc: ec2.IVpc;
  /** Where nodes and the kubectl handler run (private-app). */
  subnets: ec2.SubnetSelection;
  /** The environment's cluster block and names. */
  cluster: ResolvedEnvironment['cluster'];
  names: ResolvedEnvironment['names'];
  /**
   * ARN pattern of the only principals that may assume the cluster-admin role: the Identity Center role of the
   * cluster-admin permission set in this account. Nobody else, not the account root (ADR 0043).
   */
  adminPrincipalArnPattern: string;
  /** ARN pattern of the principals that may assume the cluster-viewer role (devops' Identity Center role). */
  viewerPrincipalArnPattern: string;
  /** Namespaces the viewer role may read (AmazonEKSViewPolicy: no Secrets, no exec, no port-forward). */
  viewerNamespaces: readonly string[];
}

export class EksCluster extends Construct {
  readonly cluster: eks.Cluster;
  readonly secretsKey: kms.Key;
  readonly systemNodes: eks.Nodegroup;
  readonly adminRole: iam.Role;
  readonly viewerRole: iam.Role;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const { cluster: config, names } = props;
    const version = VERSIONS[config.kubernetesVersion];
    if (!version) {
      throw new InfraConfigError(
        `cluster.kubernetesVersion: ${config.kubernetesVersion} has no kubectl layer here; known: ${Object.keys(VERSIONS).join(', ')}`,
      );
    }
    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets in ${names.clusterName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const privateSubnets = props.vpc.selectSubnets(props.subnets).subnets;
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: names.clusterName,
      version,
      vpc: props.vpc,
      vpcSubnets: [props.subnets],
      endpointAccess:
        config.publicEndpointCidrs.length === 0
          ? eks.EndpointAccess.PRIVATE
          : eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...config.publicEndpointCidrs),
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: CONTROL_PLANE_LOG_TYPES,
      // Only the node group below and Karpenter's nodes; no Auto Mode, no default capacity.
      defaultCapacity: 0,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      // The managed add-ons below replace the self-managed vpc-cni/coredns/kube-proxy EKS would install.
      bootstrapSelfManagedAddons: false,
      // The CloudFormation execution role gets no standing admin access; people use the admin role below.
      bootstrapClusterCreatorAdminPermissions: false,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer'), privateSubnets },
      outputConfigCommand: false,
    });

    // CDK creates the control plane's additional security group with an all-egress rule. The control plane opens
    // connections only into the VPC: to kubelets (10250) and, over HTTPS, to admission webhooks and extension API
    // servers. Webhooks serving on other ports are reached through the cluster security group EKS creates and
    // attaches to the same network interfaces (EKS owns its rules), so nothing here needs more than these two.
    const controlPlaneGroup = this.cluster.node.findChild('ControlPlaneSecurityGroup').node
      .defaultChild as ec2.CfnSecurityGroup;
    controlPlaneGroup.securityGroupEgress = [443, 10250].map((port) => ({
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      cidrIp: props.vpc.vpcCidrBlock,
      description: `Control plane to the VPC on ${port}`,
    }));

    for (const [name, configuration] of Object.entries(MANAGED_ADDONS)) {
      new eks.Addon(this, `Addon-${name}`, {
        cluster: this.cluster,
        addonName: name,
        ...(configuration ? { configurationValues: configuration } : {}),
      });
    }

    // Nodes answer only IMDSv2 with a hop limit of 1, so pods cannot borrow the node's role: they get their own
    // through Pod Identity. Root volumes are encrypted gp3.
    const launchTemplate = new ec2.CfnLaunchTemplate(this, 'SystemNodesLaunchTemplate', {
      launchTemplateData: {
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1, httpEndpoint: 'enabled' },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            ebs: {
              volumeSize: config.systemNodes.diskGiB,
              volumeType: 'gp3',
              encrypted: true,
              deleteOnTermination: true,
            },
          },
        ],
      },
    });
    const graviton = config.systemNodes.instanceTypes.every((type) => /^[a-z]+\d+g[a-z]*\./.test(type));
    this.systemNodes = this.cluster.addNodegroupCapacity('SystemNodes', {
      nodegroupName: systemNodegroupName(names.clusterName),
      subnets: props.subnets,
      instanceTypes: config.systemNodes.instanceTypes.map((type) => new ec2.InstanceType(type)),
      amiType: graviton ? eks.NodegroupAmiType.AL2023_ARM_64_STANDARD : eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      capacityType: eks.CapacityType.ON_DEMAND,
      minSize: config.systemNodes.minSize,
      desiredSize: config.systemNodes.desiredSize,
      maxSize: config.systemNodes.maxSize,
      launchTemplateSpec: { id: launchTemplate.ref, version: launchTemplate.attrLatestVersionNumber },
      labels: { [names.systemNodes.label.key]: names.systemNodes.label.value },
      taints: [systemNodeTaint(names)],
      enableNodeAutoRepair: true,
    });

    // People get in through Identity Center: its role for a permission set has a random suffix, unknown before the
    // set is provisioned, so an access entry maps a role of a fixed name that only that Identity Center role may
    // assume (aws:PrincipalArn; the account principal alone would trust every role and user of the account).
    const { account } = Stack.of(this);
    const trustedIdentityCenterRole = (pattern: string) =>
      new iam.AccountPrincipal(account).withConditions({ ArnLike: { 'aws:PrincipalArn': pattern } });
    this.adminRole = new iam.Role(this, 'AdminRole', {
      roleName: names.clusterAdminRoleName,
      description: `Cluster administrators of ${names.clusterName} (the cluster-admin Identity Center role only)`,
      assumedBy: trustedIdentityCenterRole(props.adminPrincipalArnPattern),
      maxSessionDuration: Duration.hours(1),
    });
    this.cluster.grantAccess('AdminAccess', this.adminRole.roleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', {
        accessScopeType: eks.AccessScopeType.CLUSTER,
      }),
    ]);
    this.viewerRole = new iam.Role(this, 'ViewerRole', {
      roleName: names.clusterViewerRoleName,
      description: `Read-only view of ${names.clusterName}, namespace by namespace (the devops Identity Center role)`,
      assumedBy: trustedIdentityCenterRole(props.viewerPrincipalArnPattern),
      maxSessionDuration: Duration.hours(1),
    });
    this.cluster.grantAccess('ViewerAccess', this.viewerRole.roleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', {
        accessScopeType: eks.AccessScopeType.NAMESPACE,
        namespaces: [...props.viewerNamespaces],
      }),
    ]);
  }
}
