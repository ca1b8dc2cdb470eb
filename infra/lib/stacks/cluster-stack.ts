/**
 * cluster: EKS with its node group and managed add-ons, Karpenter's prerequisites, the Pod Identity associations,
 * the ALB's origin guard, the one rule that lets the cluster reach the database, and the Argo CD bootstrap.
 * Not stateful: the cluster can be rebuilt from this stack and Git.
 */
import { argocdBootstrap } from '@innovate/config';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { AlbOriginGuard } from '../constructs/alb-origin-guard.ts';
import { ArgoCdBootstrap } from '../constructs/argo-cd-bootstrap.ts';
import { ArgoCdNotificationsSecretReader } from '../constructs/argocd-notifications-secret-reader.ts';
import { POSTGRES_PORT } from '../constructs/database-subnet-acl.ts';
import { EksCluster, systemNodegroupName } from '../constructs/eks-cluster.ts';
import { KarpenterPrerequisites } from '../constructs/karpenter-prerequisites.ts';
import { LogsKey } from '../constructs/logs-key.ts';
import type { OriginVerifySecret } from '../constructs/origin-verify-secret.ts';
import { SessionManagerAccess } from '../constructs/session-manager-access.ts';
import { SystemNodesOffHours } from '../constructs/system-nodes-off-hours.ts';
import { WorkloadIdentities } from '../constructs/workload-identities.ts';
import { SUBNET_TIERS } from '../constructs/workload-vpc.ts';
import { identityCenterRoleArnPattern } from '../foundations/guardrail-settings.ts';
import type { WorkloadStackProps } from '../workload-stack-props.ts';

/** Every namespace the platform's workloads and add-ons run in (the viewer role's scope). */
export function clusterNamespaces(names: WorkloadStackProps['environment']['names']): string[] {
  const namespaces = [
    names.apiNamespace,
    names.argocdNamespace,
    ...Object.values(names.podIdentityServiceAccounts).map((account) => account.namespace),
  ];
  return [...new Set(namespaces)].sort();
}

export interface ClusterStackProps extends WorkloadStackProps {
  vpc: ec2.IVpc;
  hostedZone: route53.IHostedZone;
  originVerify: OriginVerifySecret;
  /** The database's security group and CMK (data stack). */
  databaseSecurityGroup: ec2.ISecurityGroup;
  dataKey: kms.IKey;
  /** AMP workspace (observability stack). */
  prometheusWorkspaceArn: string;
  /** CMK of the Argo CD dispatch token secret (observability stack). */
  dispatchTokenKeyArn: string;
}

export class ClusterStack extends Stack {
  readonly eks: EksCluster;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { names } = env;

    const organization = { organization: props.organization };
    this.eks = new EksCluster(this, 'Eks', {
      vpc: props.vpc,
      subnets: { subnetGroupName: SUBNET_TIERS.app },
      cluster: env.cluster,
      names,
      adminPrincipalArnPattern: identityCenterRoleArnPattern(organization, 'clusterAdmin', env.account.id),
      viewerPrincipalArnPattern: identityCenterRoleArnPattern(organization, 'devops', env.account.id),
      viewerNamespaces: clusterNamespaces(names),
    });
    const { cluster } = this.eks;

    if (env.costPolicy.offHours.enabled) {
      const { minSize, desiredSize, maxSize } = env.cluster.systemNodes;
      new SystemNodesOffHours(this, 'SystemNodesOffHours', {
        nodegroup: this.eks.systemNodes,
        clusterName: names.clusterName,
        nodegroupName: systemNodegroupName(names.clusterName),
        day: { minSize, desiredSize, maxSize },
        offHours: env.costPolicy.offHours,
      });
    }
    new SessionManagerAccess(this, 'SessionManager', {
      systemNodeRole: this.eks.systemNodes.role,
      clusterEndpoint: cluster.clusterEndpoint,
      logGroupName: names.sessionLogGroupName,
      tunnelDocumentName: names.clusterEndpointTunnelDocumentName,
      keyAlias: `alias/${names.prefix}-ssm-sessions`,
      logRetentionDays: env.observability.logRetentionDays,
    });

    const karpenter = new KarpenterPrerequisites(this, 'Karpenter', {
      cluster,
      nodeRoleName: names.karpenterNodeRoleName,
      interruptionQueueName: names.karpenterInterruptionQueueName,
    });

    const identities = new WorkloadIdentities(this, 'PodIdentities', {
      clusterName: cluster.clusterName,
      names,
      karpenterStatements: karpenter.controllerStatements(names.clusterName),
      hostedZoneArn: props.hostedZone.hostedZoneArn,
      dataKeyArn: props.dataKey.keyArn,
      prometheusWorkspaceArn: props.prometheusWorkspaceArn,
      // By its deterministic name: no cross-stack reference for a value config already fixes.
      containerLogGroupArn: this.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: names.containerLogGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      // Created on first use by the cluster construct; only Ratify's IRSA role trusts it.
      oidcProvider: cluster.openIdConnectProvider,
    });
    new ArgoCdNotificationsSecretReader(this, 'ArgoCdNotificationsSecretReader', {
      roleName: names.argocdNotificationsSecretReaderRoleName,
      externalSecretsRole: identities.roles.externalSecrets.role,
      secretArnPattern: this.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${names.argocdDispatchTokenSecretName}-??????`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      keyArn: props.dispatchTokenKeyArn,
      region: this.region,
    });

    // The only way into PostgreSQL: from the cluster security group, which every node (managed or Karpenter's)
    // and therefore every pod carries. Declared here so the stateful data stack never depends on the cluster.
    new ec2.CfnSecurityGroupIngress(this, 'DatabaseFromCluster', {
      groupId: props.databaseSecurityGroup.securityGroupId,
      sourceSecurityGroupId: cluster.clusterSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      description: `PostgreSQL from EKS cluster ${names.clusterName}`,
    });

    const wafLogsKey = new LogsKey(this, 'WafLogsKey', { purpose: 'ALB origin-guard WAF logs' }).key;
    new AlbOriginGuard(this, 'AlbOriginGuard', {
      vpc: props.vpc,
      region: this.region,
      securityGroupName: names.albSecurityGroupName,
      webAclName: names.originVerifyWebAclName,
      header: { name: names.originVerifyHeader, valueReference: props.originVerify.dynamicReference },
      logsKey: wafLogsKey,
      logRetentionDays: env.observability.logRetentionDays,
    });

    new ArgoCdBootstrap(this, 'ArgoCd', {
      cluster,
      namespace: names.argocdNamespace,
      systemNodes: names.systemNodes,
      bootstrap: argocdBootstrap(env, props.organization),
      ssoGroups: {
        admin: props.organization.foundations.identityCenter.groups.clusterAdmin,
        readOnly: props.organization.foundations.identityCenter.groups.devops,
      },
    });
  }
}
