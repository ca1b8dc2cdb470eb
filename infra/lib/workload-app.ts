/**
 * Builds one workload environment's stacks from its config. The same code for dev, staging and prod: what differs
 * between them is only in `config/environments/<env>.yaml`.
 *
 * Stack ids are `<prefix>-<part>` (e.g. `innovate-prod-data`); the synthesized templates are
 * `cdk.out/<stack id>.template.json`, which the cost model and the architecture diagram read.
 *
 * Deploy order (the dependencies CDK derives say the same): network → domain → data (+ dr) → users →
 * observability → cluster → edge → delivery.
 */
import type { OrganizationConfig, ResolvedEnvironment } from '@innovate/config';
import type { App, Stack } from 'aws-cdk-lib';
import { applyCostTags } from './cost-tags.ts';
import type { Promotion } from './promotion.ts';
import { ClusterStack } from './stacks/cluster-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { DeliveryStack } from './stacks/delivery-stack.ts';
import { DisasterRecoveryStack } from './stacks/disaster-recovery-stack.ts';
import { DomainStack } from './stacks/domain-stack.ts';
import { CLOUDFRONT_REGION, EdgeStack } from './stacks/edge-stack.ts';
import { NetworkStack } from './stacks/network-stack.ts';
import { ObservabilityStack } from './stacks/observability-stack.ts';
import { UsersStack } from './stacks/users-stack.ts';

export interface WorkloadStacks {
  network: NetworkStack;
  domain: DomainStack;
  data: DataStack;
  /** Only when `database.crossRegionCopy.enabled`. */
  dr?: DisasterRecoveryStack;
  users: UsersStack;
  observability: ObservabilityStack;
  cluster: ClusterStack;
  edge: EdgeStack;
  delivery: DeliveryStack;
}

/** Stacks holding state (data, keys, zones, images): termination-protected, logical ids pinned by tests. */
export const STATEFUL_PARTS = ['domain', 'data', 'dr', 'users', 'edge', 'delivery'] as const;

export function addWorkloadStacks(
  app: App,
  organization: OrganizationConfig,
  environment: ResolvedEnvironment,
  promotion: Promotion = {},
): WorkloadStacks {
  const prefix = environment.names.prefix;
  const account = environment.account.id;
  const common = { environment, organization, env: { account, region: environment.region } };
  const describe = (what: string) => `Innovate ${environment.name}: ${what}`;

  const network = new NetworkStack(app, `${prefix}-network`, {
    ...common,
    description: describe('VPC, endpoints, flow logs, database-tier NACL'),
  });
  const domain = new DomainStack(app, `${prefix}-domain`, {
    ...common,
    description: describe('hosted zone, ALB origin certificate, origin-verify secret'),
  });
  const data = new DataStack(app, `${prefix}-data`, {
    ...common,
    description: describe('RDS PostgreSQL, its CMK and backups'),
    vpc: network.vpc,
  });
  const dr = environment.database.crossRegionCopy.enabled
    ? new DisasterRecoveryStack(app, `${prefix}-dr`, {
        ...common,
        env: { account, region: environment.drRegion },
        description: describe(`backup vault in the DR region ${environment.drRegion}`),
      })
    : undefined;
  if (dr) data.addStackDependency(dr, 'the nightly copy rule targets the DR vault');
  const users = new UsersStack(app, `${prefix}-users`, {
    ...common,
    description: describe('Cognito user pool, SPA app client, managed login, issuer and client id parameters'),
  });
  const observability = new ObservabilityStack(app, `${prefix}-observability`, {
    ...common,
    description: describe('AMP, Managed Grafana, logs, alarms, X-Ray sampling'),
  });
  const cluster = new ClusterStack(app, `${prefix}-cluster`, {
    ...common,
    description: describe('EKS, node group, add-ons, Karpenter prerequisites, Pod Identity, Argo CD'),
    vpc: network.vpc,
    hostedZone: domain.zone,
    originVerify: domain.originVerify,
    databaseSecurityGroup: data.database.securityGroup,
    dataKey: data.key,
    prometheusWorkspaceArn: observability.prometheus.attrArn,
    dispatchTokenKeyArn: observability.dispatchTokenKey.keyArn,
  });
  const edge = new EdgeStack(app, `${prefix}-edge`, {
    ...common,
    env: { account, region: CLOUDFRONT_REGION },
    crossRegionReferences: environment.region !== CLOUDFRONT_REGION,
    description: describe('SPA bucket, CloudFront, WAF, certificate, DNS records'),
    hostedZone: domain.zone,
    originVerify: domain.originVerify,
  });
  // CloudFront's /api/* origin is the ALB the cluster's controller publishes.
  edge.addStackDependency(cluster, 'the /api/* origin host is published from the cluster');
  const delivery = new DeliveryStack(app, `${prefix}-delivery`, {
    ...common,
    description: describe('ECR repository, GitHub OIDC roles'),
    spaBucket: edge.bucket,
    spaKey: edge.spaKey,
    distribution: edge.distribution,
    promotion,
  });

  const stacks: WorkloadStacks = {
    network,
    domain,
    data,
    ...(dr ? { dr } : {}),
    users,
    observability,
    cluster,
    edge,
    delivery,
  };
  for (const stack of Object.values(stacks) as Stack[]) applyCostTags(stack, environment.tags);
  return stacks;
}
