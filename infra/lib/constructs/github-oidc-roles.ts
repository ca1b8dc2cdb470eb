/**
 * GitHub Actions' identity in the environment's account (requirement DEL-1): the OIDC provider and one least-privilege role
 * per CI job. Every trust is pinned to the repository and to the GitHub environment named after this environment
 * (`repo:<owner>/<repo>:environment:<env>`), so only a job that runs in that environment gets in: a job on main in
 * another environment (dev's release job, which runs npm ci, docker build and go install) cannot push or sign an
 * image prod trusts. AWS reads no custom claim of GitHub's token (job_workflow_ref among them), so the subject is
 * the whole pin; the environments' deployment-branch rules (main only) and prod's reviewers do the rest (ADR 0123).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

/** The CI roles of an environment, by the key ci-env.ts prints their ARN under (`<key>_role_arn`). */
export type CiRole = 'imagePush' | 'infraDeploy' | 'spaPublish';

/** AWS's read-only managed policy: drift detection reads every resource type with the caller's own permissions. */
export const INFRA_PLAN_MANAGED_POLICY = 'ReadOnlyAccess';

/**
 * Reads ReadOnlyAccess allows that return data rather than configuration: the plan role is reachable from any pull
 * request's code, so it may describe the account but never read objects, secrets, logs, users or images.
 */
export const INFRA_PLAN_DENIED_DATA_READS = [
  's3:GetObject',
  's3:GetObjectVersion',
  'secretsmanager:GetSecretValue',
  'kms:Decrypt',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'logs:StartQuery',
  'logs:StartLiveTail',
  'cognito-idp:ListUsers',
  'cognito-idp:AdminGetUser',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'rds:DownloadDBLogFilePortion',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
] as const;

/**
 * The OIDC subjects the read-only plan role trusts: pull requests of the repository (the infra-plan workflow's
 * `cdk diff`) and workflows on the main branch (the drift schedule, which runs there and must not wait for prod's
 * reviewers). No environment subject: GitHub environments are the deploy roles' pin.
 */
export function githubOidcPlanSubjects(owner: string, repo: string, branch: string): string[] {
  return [`repo:${owner}/${repo}:pull_request`, `repo:${owner}/${repo}:ref:refs/heads/${branch}`];
}

/**
 * The OIDC subject each CI role trusts: the GitHub environment of the AWS environment, for every role. One
 * function for the construct and for the workflow test (.github/tests), so neither can drift from the other.
 */
export function githubOidcSubjects(owner: string, repo: string, githubEnvironment: string): Record<CiRole, string> {
  const subject = `repo:${owner}/${repo}:environment:${githubEnvironment}`;
  return { imagePush: subject, infraDeploy: subject, spaPublish: subject };
}

export interface GithubOidcRolesProps {
  owner: string;
  repo: string;
  /** GitHub environment whose jobs may deploy here (the environment's name: dev, staging, prod). */
  githubEnvironment: string;
  roleNames: { imagePush: string; infraDeploy: string; spaPublish: string; infraPlan: string };
  /** The branch the drift schedule runs on (the repository's default branch); the plan role trusts it. */
  defaultBranch: string;
  /** Repository the image-push role may push to. */
  repositoryArn: string;
  /** Signer profile the image-push role signs with. */
  signingProfileArn: string;
  /** SPA bucket and distribution the publish role may write and invalidate. */
  spaBucketArn: string;
  /** The SPA bucket's SSE-KMS key. */
  spaKeyArn: string;
  distributionArn: string;
  /** The SSM parameter holding the distribution id, which the publish role reads to know what to invalidate. */
  distributionIdParameterArn: string;
  /** The sign-in issuer and client id parameters, which the publish role writes into the SPA's config.json. */
  signInParameterArns: string[];
  /**
   * The repository this environment promotes from (the previous one in promotion order): the image-push role
   * reads the image there, the source repository's policy admits it (cross-account, pull only). Absent for the
   * first environment, whose images are built, not promoted.
   */
  promotedFromRepositoryArn?: string;
  /** CDK bootstrap qualifier; the deploy role may assume only that bootstrap's roles. */
  bootstrapQualifier: string;
  /** Regions the environment deploys to (its own, us-east-1 for the edge, the DR region): one bootstrap each. */
  bootstrapRegions: string[];
}

export class GithubOidcRoles extends Construct {
  readonly provider: iam.OidcProviderNative;
  readonly imagePush: iam.Role;
  readonly infraDeploy: iam.Role;
  readonly spaPublish: iam.Role;
  readonly infraPlan: iam.Role;

  constructor(scope: Construct, id: string, props: GithubOidcRolesProps) {
    super(scope, id);
    const { account, partition } = Stack.of(this);
    this.provider = new iam.OidcProviderNative(this, 'Provider', {
      url: `https://${GITHUB_OIDC_ISSUER}`,
      clientIds: ['sts.amazonaws.com'],
    });
    const subjects = githubOidcSubjects(props.owner, props.repo, props.githubEnvironment);
    const trust = (subject: string) =>
      new iam.OpenIdConnectPrincipal(this.provider, {
        StringEquals: { [`${GITHUB_OIDC_ISSUER}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC_ISSUER}:sub`]: subject },
      });

    this.imagePush = new iam.Role(this, 'ImagePush', {
      roleName: props.roleNames.imagePush,
      description: `GitHub Actions in environment ${props.githubEnvironment}: push and sign the API image`,
      assumedBy: trust(subjects.imagePush),
    });
    this.imagePush.addToPolicy(
      new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
    this.imagePush.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PushToTheApiRepositoryOnly',
        actions: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
          'ecr:CompleteLayerUpload',
          'ecr:InitiateLayerUpload',
          'ecr:PutImage',
          'ecr:UploadLayerPart',
          'ecr:DescribeImages',
        ],
        resources: [props.repositoryArn],
      }),
    );

    if (props.promotedFromRepositoryArn) {
      // Promotion (promote.yml) runs in this environment only, so this role alone copies the image in: it reads
      // the source environment's repository, whose policy admits exactly this role.
      this.imagePush.addToPolicy(
        new iam.PolicyStatement({
          sid: 'PullFromThePreviousEnvironment',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [props.promotedFromRepositoryArn],
        }),
      );
    }

    this.imagePush.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SignWithTheImageProfileOnly',
        actions: ['signer:SignPayload', 'signer:GetSigningProfile'],
        resources: [props.signingProfileArn],
      }),
    );

    this.infraDeploy = new iam.Role(this, 'InfraDeploy', {
      roleName: props.roleNames.infraDeploy,
      description: `GitHub Actions in environment ${props.githubEnvironment}: cdk diff/deploy via the bootstrap roles`,
      assumedBy: trust(subjects.infraDeploy),
    });
    const bootstrapRoles = ['deploy', 'file-publishing', 'image-publishing', 'lookup'].flatMap((kind) =>
      props.bootstrapRegions.map(
        (region) =>
          `arn:${partition}:iam::${account}:role/cdk-${props.bootstrapQualifier}-${kind}-role-${account}-${region}`,
      ),
    );
    this.infraDeploy.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeTheCdkBootstrapRolesOnly',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: bootstrapRoles,
      }),
    );

    // cdk diff reads the deployed templates through the bootstrap lookup role (read-only by CDK's bootstrap);
    // drift detection calls each resource's read APIs with this role's own permissions, hence ReadOnlyAccess (which
    // also holds cloudformation:Detect* and Describe*).
    this.infraPlan = new iam.Role(this, 'InfraPlan', {
      roleName: props.roleNames.infraPlan,
      description: 'GitHub Actions pull requests and drift schedule: cdk diff and drift detection, read-only',
      assumedBy: new iam.OpenIdConnectPrincipal(this.provider, {
        // A list under StringEquals matches any one of its values (sub is single-valued).
        StringEquals: {
          [`${GITHUB_OIDC_ISSUER}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_ISSUER}:sub`]: githubOidcPlanSubjects(props.owner, props.repo, props.defaultBranch),
        },
      }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(INFRA_PLAN_MANAGED_POLICY)],
    });
    this.infraPlan.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeTheCdkLookupRolesOnly',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: props.bootstrapRegions.map(
          (region) =>
            `arn:${partition}:iam::${account}:role/cdk-${props.bootstrapQualifier}-lookup-role-${account}-${region}`,
        ),
      }),
    );
    this.infraPlan.addToPolicy(
      new iam.PolicyStatement({
        sid: 'NoDataReads',
        effect: iam.Effect.DENY,
        actions: [...INFRA_PLAN_DENIED_DATA_READS],
        resources: ['*'],
      }),
    );

    this.spaPublish = new iam.Role(this, 'SpaPublish', {
      roleName: props.roleNames.spaPublish,
      description: `GitHub Actions in environment ${props.githubEnvironment}: upload the SPA and invalidate CloudFront`,
      assumedBy: trust(subjects.spaPublish),
    });
    this.spaPublish.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListTheSpaBucket',
        actions: ['s3:ListBucket'],
        resources: [props.spaBucketArn],
      }),
    );
    this.spaPublish.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteTheSpaBucketOnly',
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:GetObject'],
        resources: [`${props.spaBucketArn}/*`],
      }),
    );
    this.spaPublish.addToPolicy(
      new iam.PolicyStatement({
        // The bucket encrypts with its key by default: S3 asks KMS on the uploader's behalf (Decrypt: multipart).
        sid: 'EncryptWithTheSpaKeyOnly',
        actions: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
        resources: [props.spaKeyArn],
      }),
    );
    this.spaPublish.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvalidateTheDistributionOnly',
        actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
        resources: [props.distributionArn],
      }),
    );
    this.spaPublish.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheDistributionIdOnly',
        actions: ['ssm:GetParameter'],
        resources: [props.distributionIdParameterArn],
      }),
    );
    this.spaPublish.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTheSignInParametersOnly',
        actions: ['ssm:GetParameter'],
        resources: props.signInParameterArns,
      }),
    );
  }
}
