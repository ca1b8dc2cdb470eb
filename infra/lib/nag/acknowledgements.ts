/**
 * Every cdk-nag finding this app accepts, with the reason, in ONE file a reviewer can read whole.
 *
 * cdk-nag v3 fails synth on any finding not acknowledged here. An entry names the construct (path inside its stack;
 * the acknowledgement covers that construct's subtree), the findings exactly as cdk-nag reports them
 * (`AwsSolutions-IAM5[Resource::*]` is a different finding from `AwsSolutions-IAM5[Action::s3:*]`), and a reason
 * specific to that construct. Nothing is acknowledged for a whole stack or the whole app.
 *
 * `stack` selects stacks by the suffix of their id (`network` matches `innovate-dev-network`, `innovate-prod-network`).
 * Finding ids may contain `{account}`, `{region}` and `{prefix}` (e.g. `innovate-prod`), filled per stack, because
 * IAM findings quote the ARNs they flag.
 */
export interface Acknowledgement {
  /** Suffix of the stack id, e.g. `network`, `cluster`, or a foundations stack's suffix. */
  stack: string;
  /** Construct path inside the stack, e.g. `Vpc/FlowLog`; the subtree below it is covered. */
  path: string;
  /** The findings as cdk-nag reports them (`ids`), or a single one (`id`). */
  ids?: readonly string[];
  id?: string;
  /** Why the findings are accepted here. Specific, never "not needed". */
  reason: string;
}

const managed = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
const resource = (arn: string) => `AwsSolutions-IAM5[Resource::${arn}]`;
const ec2 = (type: string) => resource(`arn:aws:ec2:{region}:{account}:${type}/*`);
const elb = (path: string) => resource(`arn:aws:elasticloadbalancing:{region}:{account}:${path}`);

/** Workload environment stacks. */
export const WORKLOAD_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  // ---- network -------------------------------------------------------------------------------------------------
  {
    stack: 'network',
    path: 'DatabaseAcl',
    ids: ['AwsSolutions-VPC3'],
    reason:
      'The database-tier NACL is deliberate (requirement NET-3): a stateless guardrail that admits 5432 only from the ' +
      'app and db subnets, so a wrong security group rule cannot expose PostgreSQL to the public tier.',
  },
  {
    stack: 'network',
    path: 'Network/Vpc/publicSubnet1/NatInstance',
    ids: ['AwsSolutions-EC29'],
    reason:
      'The NAT instance of dev and staging (config network.nat, ADR 0160) holds no data and is meant to be replaced: ' +
      'its image is resolved from the Amazon Linux SSM parameter at each deploy, so a new image replaces it; ' +
      'termination protection would make that replacement fail.',
  },
  {
    stack: 'network',
    path: 'Network/Vpc/publicSubnet1/NatInstance',
    ids: ['AwsSolutions-EC28'],
    reason:
      'Basic five-minute EC2 metrics are enough for the non-production NAT instance (a failure shows as failing ' +
      'image pulls and API calls within minutes); detailed monitoring would cost about $2 a month of the saving ' +
      'the instance exists for.',
  },
  {
    stack: 'network',
    path: 'Network/Vpc/publicSubnet1/NatInstance/InstanceRole',
    ids: [managed('AmazonSSMManagedInstanceCore')],
    reason:
      'The NAT instance is patched and reached through Session Manager; AmazonSSMManagedInstanceCore is the policy ' +
      'AWS documents as the SSM agent minimum and maintains with the service. The role has no other permission.',
  },

  // ---- domain --------------------------------------------------------------------------------------------------
  {
    stack: 'domain',
    path: 'OriginVerify',
    ids: ['AwsSolutions-SMG4'],
    reason:
      'The origin-verify value is read by CloudFront and the ALB WAF through deploy-time dynamic references; an ' +
      'automatic rotation would break the edge until both stacks redeploy. It is rotated by the documented two-step ' +
      'procedure in docs/deployment.md instead.',
  },

  // ---- data ----------------------------------------------------------------------------------------------------
  {
    stack: 'data',
    path: 'Postgres/Instance',
    ids: ['AwsSolutions-RDS11'],
    reason:
      'PostgreSQL keeps its standard port 5432: the database is in isolated subnets, its security group admits only ' +
      'the cluster, and the NACL admits only the app subnets; a non-standard port adds no control here.',
  },
  {
    stack: 'data',
    path: 'Postgres/Instance',
    ids: ['AwsSolutions-RDS3'],
    reason:
      'Multi-AZ is a per-environment decision in config (requirement DB-1): dev runs single-AZ to save cost; staging and prod ' +
      'are Multi-AZ, which a test asserts.',
  },
  {
    stack: 'data',
    path: 'Postgres/Instance/MonitoringRole',
    ids: [managed('service-role/AmazonRDSEnhancedMonitoringRole')],
    reason: 'Enhanced monitoring requires exactly this AWS managed service-role policy; it grants only log delivery.',
  },
  {
    stack: 'data',
    path: 'RolesBootstrap/Role',
    ids: [managed('service-role/AWSLambdaVPCAccessExecutionRole')],
    reason:
      'The roles bootstrap Lambda runs in the VPC (ADR 0158): this AWS policy is what Lambda documents for its ' +
      'network interfaces and log streams. Its own policy reads exactly the three login secrets and decrypts the ' +
      'data key only through Secrets Manager.',
  },
  {
    stack: 'data',
    path: 'RolesBootstrap/Function',
    ids: ['AwsSolutions-L1'],
    reason:
      "The roles bootstrap runs the API's own code (ADR 0158), so its runtime is the API image's Python minor " +
      '(3.11) and its wheels are built for it; a test keeps the runtime, the asset build and api/Dockerfile equal, ' +
      'and they move together when the image does.',
  },
  {
    stack: 'data',
    path: 'RolesBootstrap/Provider',
    ids: [
      managed('service-role/AWSLambdaBasicExecutionRole'),
      'AwsSolutions-IAM5[Resource::<RolesBootstrapFunction917233E6.Arn>:*]',
    ],
    reason:
      "aws-cdk-lib's custom resource provider framework for the roles bootstrap: it writes its own log streams and " +
      'may invoke only the bootstrap function (any version of it, hence :*); aws-cdk-lib defines and upgrades it.',
  },
  {
    stack: 'data',
    path: 'Backup/Plan/Database/Role',
    ids: [managed('service-role/AWSBackupServiceRolePolicyForBackup')],
    reason: 'AWS Backup documents this managed policy as the backup role for RDS; AWS maintains it with the service.',
  },

  // ---- observability -------------------------------------------------------------------------------------------
  {
    stack: 'observability',
    path: 'PrometheusEndpoint',
    ids: ['AwsSolutions-SMG4'],
    reason:
      'Not a credential: it carries the AMP workspace URL to External Secrets. Nothing to rotate; it changes only ' +
      'if the workspace is replaced, and CloudFormation updates it then.',
  },
  {
    stack: 'observability',
    path: 'GrafanaOperatorToken',
    ids: ['AwsSolutions-SMG4'],
    reason:
      'Holds an Amazon Managed Grafana service account token, which AMG itself expires (at most 30 days): a person ' +
      'issues a new one and puts it here (docs/deployment.md); Secrets Manager has no rotation Lambda for AMG tokens.',
  },
  {
    stack: 'observability',
    path: 'ArgoCdDispatchToken',
    ids: ['AwsSolutions-SMG4'],
    reason:
      'Holds a GitHub token a person issues (fine-grained, one repository, an expiry GitHub enforces) and replaces ' +
      'before it expires (docs/deployment.md); Secrets Manager has no rotation Lambda for GitHub tokens.',
  },
  {
    stack: 'observability',
    path: 'GrafanaRole',
    ids: [
      managed('AWSXrayReadOnlyAccess'),
      managed('AmazonPrometheusQueryAccess'),
      managed('CloudWatchReadOnlyAccess'),
    ],
    reason:
      'Amazon Managed Grafana with customer-managed permissions: these read-only managed policies are what the ' +
      'service documents for its AMP, CloudWatch and X-Ray data sources; the role trusts Grafana of this account only.',
  },

  // ---- cluster -------------------------------------------------------------------------------------------------
  {
    stack: 'cluster',
    path: 'Eks/Cluster/Role',
    ids: [managed('AmazonEKSClusterPolicy')],
    reason: 'The EKS service role must carry AmazonEKSClusterPolicy (EKS documentation); no narrower policy exists.',
  },
  {
    stack: 'cluster',
    path: 'Eks/Cluster/NodegroupSystemNodes/NodeGroupRole',
    ids: [
      managed('AmazonEC2ContainerRegistryReadOnly'),
      managed('AmazonEKSWorkerNodePolicy'),
      managed('AmazonEKS_CNI_Policy'),
    ],
    reason:
      'EKS managed node groups require these three policies on the node role (EKS documentation). Pods cannot use ' +
      'them: IMDS hop limit 1 keeps node credentials on the node; workloads get Pod Identity roles.',
  },
  {
    stack: 'cluster',
    path: 'Karpenter/NodeRole',
    ids: [
      managed('AmazonEC2ContainerRegistryPullOnly'),
      managed('AmazonEKSWorkerNodePolicy'),
      managed('AmazonEKS_CNI_Policy'),
      managed('AmazonSSMManagedInstanceCore'),
    ],
    reason:
      "Karpenter's documented node role: join the cluster, run the VPC CNI, pull images, and Session Manager access " +
      '(no SSH). Pods cannot use it (IMDS hop limit 1).',
  },
  {
    stack: 'cluster',
    path: 'Eks/Cluster/KubectlProvider',
    ids: [
      'AwsSolutions-L1',
      managed('AmazonEC2ContainerRegistryReadOnly'),
      managed('service-role/AWSLambdaBasicExecutionRole'),
      managed('service-role/AWSLambdaVPCAccessExecutionRole'),
      'AwsSolutions-IAM4[Policy::{"Fn::If":["EksClusterKubectlProviderHandlerHasEcrPublicC426D1A5",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
      'AwsSolutions-IAM5[Resource::<EksClusterKubectlProviderHandlerDA75FB7A.Arn>:*]',
    ],
    reason:
      "aws-eks-v2's kubectl provider (installs Argo CD once): its Lambda runtime, VPC access role and invoke " +
      'permission on its own handler versions are defined by aws-cdk-lib and upgraded with it.',
  },
  {
    stack: 'cluster',
    path: 'Eks/Cluster',
    ids: ['CloudFormation-Validate::W9009'],
    reason:
      'aws-eks-v2 renders EncryptionConfig.Resources ["secrets"], the only value EKS accepts; the deprecation ' +
      'notice is about the property schema, and cfn-lint accepts the template.',
  },
  {
    stack: 'cluster',
    path: 'Karpenter/InterruptionQueue',
    ids: ['AwsSolutions-SQS3'],
    reason:
      'Interruption notices are worth something for about two minutes; a message Karpenter failed to handle is ' +
      'stale by the time anyone reads a dead-letter queue. Retention is 5 minutes, as Karpenter documents.',
  },
  {
    stack: 'cluster',
    path: 'PodIdentities/karpenter/Policy',
    ids: [
      resource('*'),
      resource('arn:aws:ec2:{region}::image/*'),
      resource('arn:aws:ec2:{region}::snapshot/*'),
      ec2('capacity-reservation'),
      ec2('fleet'),
      ec2('instance'),
      ec2('launch-template'),
      ec2('network-interface'),
      ec2('security-group'),
      ec2('spot-instances-request'),
      ec2('subnet'),
      ec2('volume'),
      resource('arn:aws:iam::{account}:instance-profile/*'),
      resource('arn:aws:ssm:{region}::parameter/aws/service/*'),
    ],
    reason:
      "Karpenter v1's reference controller policy: it launches and terminates instances whose ids do not exist " +
      'yet, so resources are type-scoped and every mutating statement is conditioned on the cluster tag ' +
      '(kubernetes.io/cluster/<name>=owned) and karpenter.sh/nodepool; Describe* and pricing have no resource level.',
  },
  {
    stack: 'cluster',
    path: 'PodIdentities/awsLoadBalancerController/Policy',
    ids: [
      'AwsSolutions-IAM5[Action::elasticloadbalancing:Describe*]',
      resource('*'),
      ec2('security-group'),
      elb('listener-rule/app/*/*/*'),
      elb('listener-rule/net/*/*/*'),
      elb('listener/app/*/*/*'),
      elb('listener/net/*/*/*'),
      elb('loadbalancer/app/*/*'),
      elb('loadbalancer/net/*/*'),
      elb('targetgroup/*/*'),
    ],
    reason:
      "The AWS Load Balancer Controller's published policy: it creates the ALB, target groups and security groups " +
      'itself, so creation requires the elbv2.k8s.aws/cluster request tag and changes require that resource tag; ' +
      'Describe* calls have no resource level.',
  },
  {
    stack: 'cluster',
    path: 'PodIdentities/externalDns/Policy',
    ids: [resource('*')],
    reason:
      'Only route53:ListHostedZones and ListTagsForResource, which have no resource level; changes are limited to ' +
      "the environment's own hosted zone ARN.",
  },
  {
    stack: 'cluster',
    path: 'PodIdentities/externalSecrets/Policy',
    ids: [resource('arn:aws:secretsmanager:{region}:{account}:secret:{prefix}/*')],
    reason:
      "External Secrets reads exactly the environment's secret path ({prefix}/, config names.secretsPathPrefix) " +
      'and decrypts only through Secrets Manager.',
  },
  {
    stack: 'cluster',
    path: 'PodIdentities/externalSecrets/Policy',
    ids: [resource('arn:aws:ssm:{region}:{account}:parameter/innovate/{env}/auth/*')],
    reason:
      "External Secrets reads the sign-in parameters under the environment's auth path only (issuer and client id " +
      'of the users stack, config names.authParameterPath): String values the API needs, no secret among them.',
  },
  {
    stack: 'cluster',
    path: 'Eks/Cluster/NodegroupSystemNodes/NodeGroupRole',
    ids: [
      managed('AmazonSSMManagedInstanceCore'),
      'AwsSolutions-IAM5[Resource::<SessionManagerSessions5CA0517A.Arn>:log-stream:*]',
      resource('*'),
    ],
    reason:
      'Session Manager on the system nodes (ADR 0122): the SSM agent needs AmazonSSMManagedInstanceCore (AWS ' +
      'documentation), creates one log stream per session in the encrypted session log group only, and calls ' +
      'logs:DescribeLogGroups (no resource level) to check that group is encrypted before it streams.',
  },
  {
    stack: 'cluster',
    path: 'PodIdentities/adotCollector/Policy',
    ids: [resource('*')],
    reason:
      'X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* have no resource level; AMP remote write is scoped ' +
      "to the environment's workspace.",
  },
  {
    stack: 'cluster',
    path: 'PodIdentities/fluentBit/Policy',
    ids: [resource('arn:aws:logs:{region}:{account}:log-group:/innovate/{env}/eks/containers:log-stream:*')],
    reason: 'Fluent Bit creates one stream per pod; it may write only streams of the container log group.',
  },
  {
    stack: 'cluster',
    path: 'PodIdentities/ratify/Policy',
    ids: [resource('*')],
    reason:
      'ecr:GetAuthorizationToken and signer:GetRevocationStatus have no resource level; image reads are limited to ' +
      "the API's repository.",
  },

  // ---- users ---------------------------------------------------------------------------------------------------
  {
    stack: 'users',
    path: 'SignIn/UserPool',
    ids: ['AwsSolutions-COG2', 'AwsSolutions-COG8'],
    reason:
      'MFA and the Plus plan are per environment in config (auth.mfa, auth.threatProtection): prod must require MFA ' +
      '(the config schema refuses anything else) and staging and prod run threat protection enforced on Plus; dev ' +
      'keeps Essentials and optional MFA for its test users, where no real user data exists.',
  },

  // ---- edge ----------------------------------------------------------------------------------------------------
  {
    stack: 'edge',
    path: 'Distribution',
    ids: ['AwsSolutions-CFR1'],
    reason:
      'The product serves a global audience with no legal restriction per country (requirement EDGE-3); abuse is handled by ' +
      'the WAF (IP reputation, managed rules, rate limit), not by geography.',
  },

  // ---- delivery ------------------------------------------------------------------------------------------------
  {
    stack: 'delivery',
    path: 'GithubOidc/ImagePush/DefaultPolicy',
    ids: [resource('*')],
    reason: 'ecr:GetAuthorizationToken has no resource level; pushes are limited to the API repository ARN.',
  },
  {
    stack: 'delivery',
    path: 'GithubOidc/SpaPublish/DefaultPolicy',
    ids: [
      resource(
        '{"Fn::GetStackOutput":{"StackName":"{prefix}-edge","Region":"us-east-1","OutputName":"PublishOutputFnGetAttSpaBucket48E1059FArnC4C36861"}}/*',
      ),
    ],
    reason: 'The SPA publish job replaces the build under the SPA bucket (objects only, that one bucket).',
  },
  {
    stack: 'delivery',
    path: 'GithubOidc/InfraPlan',
    ids: [managed('ReadOnlyAccess')],
    reason:
      'CloudFormation drift detection reads every resource type with the caller’s own permissions; AWS keeps ' +
      'ReadOnlyAccess current as services change. Data reads (objects, secrets, decrypt, logs, users, images) are ' +
      'denied on the role itself.',
  },
];

/** Organization foundations stacks: appended by the foundations engineer. */
// ---- foundations (infra/lib/foundations; stacks innovate-security-<region>-services) -----------------------------
export const FOUNDATION_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  {
    stack: 'services',
    path: 'ConfigAggregatorRole',
    ids: [managed('service-role/AWSConfigRoleForOrganizations')],
    reason:
      'The organization Config aggregator needs this AWS-maintained read-only Organizations policy (AWS Config ' +
      'documentation); the role trusts only config.amazonaws.com and exists only in the security account.',
  },
  // The AwsCustomResource Lambda (aws-cdk-lib singleton) that makes the GuardDuty calls CloudFormation has no
  // resource for (ADR 0044): delegated admin in the management account, organization auto-enable in the security one.
  ...['delegated-admin', 'services'].map(
    (stack): Acknowledgement => ({
      stack,
      path: 'AWS679f53fac002430cb0da5b7982bd2287/ServiceRole',
      ids: [managed('service-role/AWSLambdaBasicExecutionRole')],
      reason:
        "aws-cdk-lib's AwsCustomResource Lambda role: the AWS-managed policy only lets it write its own CloudWatch " +
        'log streams; its GuardDuty/Organizations permissions are the separate, exact CustomResourcePolicy.',
    }),
  ),
  {
    stack: 'delegated-admin',
    path: 'GuardDutyDelegatedAdmin/CustomResourcePolicy',
    ids: [resource('*')],
    reason:
      'guardduty:EnableOrganizationAdminAccount and the Organizations reads (DescribeOrganization, ListAccounts, ' +
      'ListAWSServiceAccessForOrganization, ListDelegatedAdministrators, DescribeOrganizationalUnit) have no resource ' +
      'type or act on OUs unknown at synth; EnableAWSServiceAccess is limited by condition to guardduty.amazonaws.com. ' +
      'The writes that take a resource (RegisterDelegatedAdministrator, DescribeAccount) name the security account.',
  },
  {
    stack: 'services',
    path: 'GuardDutyAutoEnable/CustomResourcePolicy',
    ids: [resource('*')],
    reason:
      'The single action guardduty:UpdateOrganizationConfiguration has no resource type (Service Authorization ' +
      "Reference; the foundations tests' evaluator rejects a detector ARN), so '*' is the only resource that works.",
  },
  // Amazon Inspector has no CloudFormation resource that enables it either (ADR 0044): same Lambda, same pattern.
  {
    stack: 'delegated-admin',
    path: 'InspectorDelegatedAdmin/CustomResourcePolicy',
    ids: [resource('*')],
    reason:
      'inspector2:EnableDelegatedAdminAccount and the Organizations reads (DescribeOrganization, ' +
      'ListAWSServiceAccessForOrganization, ListDelegatedAdministrators) have no resource type; EnableAWSServiceAccess ' +
      'is limited by condition to inspector2.amazonaws.com; RegisterDelegatedAdministrator names the security account.',
  },
  ...['InspectorEnable', 'InspectorAutoEnable'].map(
    (path): Acknowledgement => ({
      stack: 'services',
      path: `${path}/CustomResourcePolicy`,
      ids: [resource('*')],
      reason:
        'inspector2:Enable and inspector2:UpdateOrganizationConfiguration have no resource type (Service ' +
        "Authorization Reference): '*' is the only resource; the service-linked role statement names its one ARN.",
    }),
  ),
];

/**
 * Findings that exist only with a config switch, acknowledged by the construct that owns the switch when it is on
 * (a path-based entry above, or a skip in tools/checkov-skips.json, would match nothing in the committed config and
 * fail as stale). `checkovId` becomes a checkov skip in the resource's template metadata, with the same reason.
 */
export const CONDITIONAL_ACKNOWLEDGEMENTS = {
  /** `database.restore.pointInTime` (infra/lib/constructs/postgres-database.ts, ADR 0105). */
  pointInTimeRestoreEncryption: {
    id: 'AwsSolutions-RDS2',
    checkovId: 'CKV_AWS_16',
    reason:
      'A point-in-time restore inherits the encryption and KMS key of its source instance, which is encrypted with ' +
      "the data stack's CMK; CloudFormation refuses StorageEncrypted beside SourceDBInstanceIdentifier, so the " +
      'template cannot say it.',
  },
} as const;

export const ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  ...WORKLOAD_ACKNOWLEDGEMENTS,
  ...FOUNDATION_ACKNOWLEDGEMENTS,
];
