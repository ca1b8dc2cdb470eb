/**
 * delivery: the API's ECR repository and GitHub Actions' OIDC identities (requirement DEL-1). The repository holds every
 * released image, so the stack is termination-protected and the repository's logical id is pinned by tests.
 */
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as signer from 'aws-cdk-lib/aws-signer';
import type { Construct } from 'constructs';
import { GithubOidcRoles } from '../constructs/github-oidc-roles.ts';
import type { Promotion } from '../promotion.ts';
import type { WorkloadStackProps } from '../workload-stack-props.ts';
import { CLOUDFRONT_REGION } from './edge-stack.ts';

/** Untagged layers go after a week; the newest tagged images stay (rollback needs a few, audits need more). */
export const KEEP_TAGGED_IMAGES = 100;
export const UNTAGGED_IMAGE_DAYS = 7;
/** How long an image signature stays valid: a year, longer than any image should run. */
export const IMAGE_SIGNATURE_VALIDITY_DAYS = 365;

export interface DeliveryStackProps extends WorkloadStackProps {
  spaBucket: s3.IBucket;
  /** The SPA bucket's key: the publish role encrypts with it (the bucket's default SSE-KMS). */
  spaKey: kms.IKey;
  distribution: cloudfront.IDistribution;
  /** The environments images are promoted from (into this one) and to (out of this one). */
  promotion: Promotion;
}

export class DeliveryStack extends Stack {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const env = props.environment;
    const { names } = env;
    const git = props.organization.git;

    const key = new kms.Key(this, 'RepositoryKey', {
      description: `Encrypts ECR repository ${names.apiRepositoryName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.repository = new ecr.Repository(this, 'ApiRepository', {
      repositoryName: names.apiRepositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { rulePriority: 1, tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(UNTAGGED_IMAGE_DAYS) },
        { rulePriority: 2, tagStatus: ecr.TagStatus.ANY, maxImageCount: KEEP_TAGGED_IMAGES },
      ],
    });

    // The next environment's promotion job copies images out of here with its own push role: pull only, that role
    // only (by ARN, so a role of that name recreated elsewhere gets nothing).
    const next = props.promotion.to;
    if (next) {
      this.repository.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `PromotionTo${next.name}Pulls`,
          principals: [new iam.ArnPrincipal(`arn:aws:iam::${next.account.id}:role/${next.names.ciImagePushRoleName}`)],
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        }),
      );
    }
    const previous = props.promotion.from;

    // CI signs each pushed image (Notation); Ratify admits only images signed by this profile.
    const signingProfile = new signer.SigningProfile(this, 'ImageSigningProfile', {
      signingProfileName: names.imageSigningProfileName,
      platform: signer.Platform.NOTATION_OCI_SHA384_ECDSA,
      signatureValidity: Duration.days(IMAGE_SIGNATURE_VALIDITY_DAYS),
    });

    const qualifier =
      (this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
      DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    new GithubOidcRoles(this, 'GithubOidc', {
      owner: git.githubOwner,
      repo: git.githubRepo,
      githubEnvironment: env.name,
      roleNames: {
        imagePush: names.ciImagePushRoleName,
        infraDeploy: names.ciInfraDeployRoleName,
        spaPublish: names.ciSpaPublishRoleName,
        infraPlan: names.ciInfraPlanRoleName,
      },
      defaultBranch: git.branch,
      repositoryArn: this.repository.repositoryArn,
      signingProfileArn: signingProfile.signingProfileArn,
      spaBucketArn: props.spaBucket.bucketArn,
      spaKeyArn: props.spaKey.keyArn,
      distributionArn: this.formatArn({
        service: 'cloudfront',
        region: '',
        resource: 'distribution',
        resourceName: props.distribution.distributionId,
      }),
      // Parameter names are paths; the ARN holds the name without its leading slash.
      distributionIdParameterArn: this.formatArn({
        service: 'ssm',
        region: CLOUDFRONT_REGION,
        resource: 'parameter',
        resourceName: names.spaDistributionIdParameterName.replace(/^\//, ''),
      }),
      signInParameterArns: [names.authIssuerParameterName, names.authClientIdParameterName].map((name) =>
        this.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, '') }),
      ),
      ...(previous
        ? {
            promotedFromRepositoryArn: `arn:aws:ecr:${previous.region}:${previous.account.id}:repository/${previous.names.apiRepositoryName}`,
          }
        : {}),
      bootstrapQualifier: qualifier,
      bootstrapRegions: [...new Set([env.region, CLOUDFRONT_REGION, env.drRegion])].sort(),
    });
  }
}
