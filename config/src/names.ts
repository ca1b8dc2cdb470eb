/**
 * Deterministic names derived from the configuration.
 *
 * The CDK app creates resources with these names and the cdk8s app, the cost model and the runbooks refer to them,
 * so neither side ever copies an ARN or a name by hand. Change a name here and both sides move together.
 */
import type { EnvironmentConfig, OrganizationConfig } from './schema.ts';

export interface EnvironmentNames {
  /** Prefix of every named resource in the environment, e.g. `innovate-prod`. */
  prefix: string;
  clusterName: string;
  /** IAM role the Karpenter-launched nodes use (EC2NodeClass `role`). */
  karpenterNodeRoleName: string;
  /** SQS queue Karpenter reads spot interruption and rebalance events from. */
  karpenterInterruptionQueueName: string;
  /** Tag key/value the CDK stacks put on subnets and security groups Karpenter may select. */
  karpenterDiscoveryTag: { key: string; value: string };
  /** Kubernetes namespace and service account of the API workload. */
  apiNamespace: string;
  apiServiceAccount: string;
  /** ECR repository of the API image. */
  apiRepositoryName: string;
  /** Secrets Manager name of the RDS master/app secret the API reads through External Secrets. */
  databaseSecretName: string;
  /** Secrets Manager prefix External Secrets may read, and nothing outside it. */
  secretsPathPrefix: string;
  /** The secret CloudFront sends as an origin header and the ALB requires. */
  originVerifySecretName: string;
  originVerifyHeader: string;
  /** The directory Argo CD syncs for this environment. */
  renderedManifestsPath: string;
}

export function environmentNames(env: EnvironmentConfig, org: OrganizationConfig): EnvironmentNames {
  const prefix = `${org.tags.app}-${env.name}`;
  return {
    prefix,
    clusterName: prefix,
    karpenterNodeRoleName: `${prefix}-karpenter-node`,
    karpenterInterruptionQueueName: `${prefix}-karpenter-interruption`,
    karpenterDiscoveryTag: { key: 'karpenter.sh/discovery', value: prefix },
    apiNamespace: 'api',
    apiServiceAccount: 'api',
    apiRepositoryName: `${org.tags.app}/api`,
    databaseSecretName: `${prefix}/database/app`,
    secretsPathPrefix: `${prefix}/`,
    originVerifySecretName: `${prefix}/edge/origin-verify`,
    originVerifyHeader: 'X-Origin-Verify',
    renderedManifestsPath: `deploy/rendered/${env.name}`,
  };
}
