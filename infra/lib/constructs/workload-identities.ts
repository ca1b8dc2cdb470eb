/**
 * EKS Pod Identity associations for every in-cluster workload that calls AWS (requirement EKS-4, ADR 0022), each with only
 * what it needs. One exception: Ratify gets an IRSA role instead (its ECR login reads only web-identity variables,
 * deploy ADR 0066), named `names.ratifyIrsaRoleName`. Namespaces and service accounts come from config (`names.podIdentityServiceAccounts`), which the
 * cdk8s side renders, so an association never points at a service account that does not exist.
 *
 * cert-manager gets no AWS identity: TLS at the edge and on the ALB uses ACM certificates, so cert-manager never
 * solves DNS-01 against Route 53 (it only issues in-cluster webhook certificates).
 */
import type { PodIdentityWorkload, ResolvedEnvironment } from '@innovate/config';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IrsaRole } from './irsa-role.ts';
import { loadBalancerControllerStatements } from './load-balancer-controller-policy.ts';
import { PodIdentityRole } from './pod-identity-role.ts';

export interface WorkloadIdentitiesProps {
  /** Cluster name as a token of the cluster resource, so associations are created after the cluster. */
  clusterName: string;
  names: ResolvedEnvironment['names'];
  /** Karpenter's controller statements (from the Karpenter prerequisites construct). */
  karpenterStatements: iam.PolicyStatement[];
  /** The environment's public hosted zone: the only zone ExternalDNS may change. */
  hostedZoneArn: string;
  /** The CMK of the database secret (External Secrets and the API decrypt through Secrets Manager only). */
  dataKeyArn: string;
  /** AMP workspace ARN (ADOT remote-writes, Argo Rollouts' analysis queries). */
  prometheusWorkspaceArn: string;
  /** Container log group ARN (Fluent Bit writes). */
  containerLogGroupArn: string;
  /** The cluster's IAM OIDC provider, for the workloads that need IRSA. */
  oidcProvider: iam.IOpenIdConnectProvider;
}

/** Workloads that cannot use Pod Identity credentials → their IRSA role name (deploy ADR 0066). */
function irsaRoleNames(names: ResolvedEnvironment['names']): Partial<Record<PodIdentityWorkload, string>> {
  return { ratify: names.ratifyIrsaRoleName };
}

export class WorkloadIdentities extends Construct {
  readonly roles: Record<PodIdentityWorkload, PodIdentityRole | IrsaRole>;

  constructor(scope: Construct, id: string, props: WorkloadIdentitiesProps) {
    super(scope, id);
    const { names } = props;
    const { region, account, partition } = Stack.of(this);
    const secretArn = (name: string) => `arn:${partition}:secretsmanager:${region}:${account}:secret:${name}`;
    const decryptViaSecretsManager = new iam.PolicyStatement({
      sid: 'DecryptSecretsThroughSecretsManagerOnly',
      actions: ['kms:Decrypt'],
      resources: [props.dataKeyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
    });

    const repositoryArn = `arn:${partition}:ecr:${region}:${account}:repository/${names.apiRepositoryName}`;
    // Keyed by workload; a workload config names but this map lacks fails synth below (never a silent no-op).
    const statements: Record<string, { description: string; statements: iam.PolicyStatement[] }> = {
      karpenter: { description: 'Karpenter controller', statements: props.karpenterStatements },
      awsLoadBalancerController: {
        description: 'AWS Load Balancer Controller',
        statements: loadBalancerControllerStatements(this, names.clusterName),
      },
      externalDns: {
        description: `ExternalDNS (zone ${names.prefix} only)`,
        statements: [
          new iam.PolicyStatement({
            sid: 'ChangeRecordsInTheEnvironmentZoneOnly',
            actions: [
              'route53:ChangeResourceRecordSets',
              'route53:ListResourceRecordSets',
              'route53:ListTagsForResources',
            ],
            resources: [props.hostedZoneArn],
          }),
          new iam.PolicyStatement({
            sid: 'FindZones',
            actions: ['route53:ListHostedZones', 'route53:ListTagsForResource'],
            resources: ['*'],
          }),
        ],
      },
      externalSecrets: {
        description: `External Secrets (secrets under ${names.secretsPathPrefix}, parameters under ${names.authParameterPath})`,
        statements: [
          new iam.PolicyStatement({
            sid: 'ReadTheEnvironmentSecretsOnly',
            actions: [
              'secretsmanager:GetSecretValue',
              'secretsmanager:DescribeSecret',
              'secretsmanager:ListSecretVersionIds',
            ],
            resources: [secretArn(`${names.secretsPathPrefix}*`)],
          }),
          // The database master's secret is inside the path too, but nothing in the cluster may have it: the roles'
          // bootstrap that needs it runs in AWS (ADR 0158), and the cluster-wide store would hand it to any namespace.
          new iam.PolicyStatement({
            sid: 'NeverTheDatabaseMaster',
            effect: iam.Effect.DENY,
            actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            resources: [secretArn(`${names.databaseSecretName}-??????`)],
          }),
          // The GitHub dispatch token is inside the path, but only the argocd namespace's store may read it, and
          // that store reads it as its own role (argocd-notifications-secret-reader.ts), never as this one.
          new iam.PolicyStatement({
            sid: 'NeverTheArgoCdDispatchToken',
            effect: iam.Effect.DENY,
            actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            resources: [secretArn(`${names.argocdDispatchTokenSecretName}-??????`)],
          }),
          new iam.PolicyStatement({
            sid: 'AssumeTheArgoCdStoreRole',
            actions: ['sts:AssumeRole', 'sts:TagSession'],
            resources: [`arn:${partition}:iam::${account}:role/${names.argocdNotificationsSecretReaderRoleName}`],
          }),
          decryptViaSecretsManager,
          // The sign-in issuer and client id the users stack publishes (String parameters: no key to decrypt).
          new iam.PolicyStatement({
            sid: 'ReadTheSignInParametersOnly',
            actions: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
            resources: [
              `arn:${partition}:ssm:${region}:${account}:parameter/${names.authParameterPath.replace(/^\/|\/$/g, '')}`,
              `arn:${partition}:ssm:${region}:${account}:parameter${names.authParameterPath}*`,
            ],
          }),
        ],
      },
      adotCollector: {
        description: 'ADOT collector (AMP remote write, X-Ray)',
        statements: [
          new iam.PolicyStatement({
            sid: 'RemoteWriteToTheEnvironmentWorkspace',
            actions: ['aps:RemoteWrite'],
            resources: [props.prometheusWorkspaceArn],
          }),
          new iam.PolicyStatement({
            sid: 'SendTraces',
            // No GetSamplingRules/Targets: the API samples (config traceSampleRatio), no remote sampler runs.
            actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            resources: ['*'],
          }),
        ],
      },
      fluentBit: {
        description: 'Fluent Bit (container logs)',
        statements: [
          new iam.PolicyStatement({
            sid: 'WriteTheContainerLogGroupOnly',
            actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            resources: [props.containerLogGroupArn, `${props.containerLogGroupArn}:log-stream:*`],
          }),
        ],
      },
      argoRollouts: {
        description: 'Argo Rollouts (canary analysis queries AMP)',
        statements: [
          new iam.PolicyStatement({
            sid: 'QueryTheEnvironmentWorkspace',
            actions: ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata'],
            resources: [props.prometheusWorkspaceArn],
          }),
        ],
      },
      ratify: {
        description: 'Ratify (reads the API image signatures from ECR, checks Signer revocation)',
        statements: [
          new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
          new iam.PolicyStatement({
            sid: 'ReadTheApiRepositoryOnly',
            actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages', 'ecr:ListImages'],
            resources: [repositoryArn],
          }),
          new iam.PolicyStatement({
            sid: 'CheckSignatureRevocation',
            actions: ['signer:GetRevocationStatus'],
            resources: ['*'],
          }),
        ],
      },
      api: {
        description: 'The API (its database secret only)',
        statements: [
          new iam.PolicyStatement({
            sid: 'ReadItsDatabaseSecretOnly',
            actions: ['secretsmanager:GetSecretValue'],
            // The application user's, which the pods already hold as a file; never the master's (ADR 0158).
            // Secrets Manager appends a 6-character suffix to every secret ARN.
            resources: [secretArn(`${names.databaseAppSecretName}-??????`)],
          }),
          decryptViaSecretsManager,
        ],
      },
    };

    const workloads = Object.keys(names.podIdentityServiceAccounts) as PodIdentityWorkload[];
    this.roles = Object.fromEntries(
      workloads.map((workload) => {
        const spec = statements[workload];
        if (!spec) throw new Error(`names.podIdentityServiceAccounts.${workload}: no permissions defined in infra`);
        const binding = names.podIdentityServiceAccounts[workload];
        const irsaRoleName = irsaRoleNames(names)[workload];
        if (irsaRoleName) {
          return [
            workload,
            new IrsaRole(this, workload, {
              oidcProvider: props.oidcProvider,
              namespace: binding.namespace,
              serviceAccount: binding.serviceAccount,
              roleName: irsaRoleName,
              description: spec.description,
              statements: spec.statements,
            }),
          ];
        }
        return [
          workload,
          new PodIdentityRole(this, workload, {
            clusterName: props.clusterName,
            namespace: binding.namespace,
            serviceAccount: binding.serviceAccount,
            description: spec.description,
            statements: spec.statements,
          }),
        ];
      }),
    ) as Record<PodIdentityWorkload, PodIdentityRole | IrsaRole>;
  }
}
