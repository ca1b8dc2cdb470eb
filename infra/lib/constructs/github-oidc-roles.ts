/**
 * GitHub Actions' identity in the environment's account (spec §7): the OIDC provider and one least-privilege role
 * per CI job. Every trust is pinned to the repository and to either the main branch (image push) or the GitHub
 * environment named after this environment (infra deploy, SPA publish), so a workflow on a fork or a feature branch
 * gets nothing.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

export interface GithubOidcRolesProps {
  owner: string;
  repo: string;
  branch: string;
  /** GitHub environment whose jobs may deploy here (the environment's name: dev, staging, prod). */
  githubEnvironment: string;
  roleNames: { imagePush: string; infraDeploy: string; spaPublish: string };
  /** Repository the image-push role may push to. */
  repositoryArn: string;
  /** Signer profile the image-push role signs with. */
  signingProfileArn: string;
  /** SPA bucket and distribution the publish role may write and invalidate. */
  spaBucketArn: string;
  distributionArn: string;
  /** The SSM parameter holding the distribution id, which the publish role reads to know what to invalidate. */
  distributionIdParameterArn: string;
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

  constructor(scope: Construct, id: string, props: GithubOidcRolesProps) {
    super(scope, id);
    const { account, partition } = Stack.of(this);
    this.provider = new iam.OidcProviderNative(this, 'Provider', {
      url: `https://${GITHUB_OIDC_ISSUER}`,
      clientIds: ['sts.amazonaws.com'],
    });
    const repo = `repo:${props.owner}/${props.repo}`;
    const trust = (subject: string) =>
      new iam.OpenIdConnectPrincipal(this.provider, {
        StringEquals: { [`${GITHUB_OIDC_ISSUER}:aud`]: 'sts.amazonaws.com', [`${GITHUB_OIDC_ISSUER}:sub`]: subject },
      });

    this.imagePush = new iam.Role(this, 'ImagePush', {
      roleName: props.roleNames.imagePush,
      description: 'GitHub Actions on the main branch: push the API image to ECR',
      assumedBy: trust(`${repo}:ref:refs/heads/${props.branch}`),
    });
    this.imagePush.addToPolicy(
      new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
    // Pull as well as push: promotion (promote.yml) reads the image from the source environment's repository with
    // that environment's own push role, then writes it into the target's with the target's role, so no repository
    // needs a cross-account policy.
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

    this.imagePush.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SignWithTheImageProfileOnly',
        actions: ['signer:SignPayload', 'signer:GetSigningProfile'],
        resources: [props.signingProfileArn],
      }),
    );

    const environmentSubject = `${repo}:environment:${props.githubEnvironment}`;
    this.infraDeploy = new iam.Role(this, 'InfraDeploy', {
      roleName: props.roleNames.infraDeploy,
      description: `GitHub Actions in environment ${props.githubEnvironment}: cdk diff/deploy via the bootstrap roles`,
      assumedBy: trust(environmentSubject),
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

    this.spaPublish = new iam.Role(this, 'SpaPublish', {
      roleName: props.roleNames.spaPublish,
      description: `GitHub Actions in environment ${props.githubEnvironment}: upload the SPA and invalidate CloudFront`,
      assumedBy: trust(environmentSubject),
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
  }
}
