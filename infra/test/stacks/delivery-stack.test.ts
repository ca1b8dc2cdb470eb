import { describe, expect, it } from 'vitest';
import { KEEP_TAGGED_IMAGES, UNTAGGED_IMAGE_DAYS } from '../../lib/stacks/delivery-stack.ts';
import { config, ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { asArray, only, policyStatements, resources } from '../helpers/template-queries.ts';

describe('delivery: ECR repository (immutable tags, scan on push, KMS, lifecycle)', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const repo = only(templateOf(name, 'delivery'), 'AWS::ECR::Repository').Properties;
    expect(repo.RepositoryName).toBe(environment(name).names.apiRepositoryName);
    expect(repo.ImageTagMutability).toBe('IMMUTABLE');
    expect(repo.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
    expect(repo.EncryptionConfiguration.EncryptionType).toBe('KMS');
    expect(repo.EncryptionConfiguration.KmsKey).toBeDefined();
    const rules = JSON.parse(repo.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toEqual([
      expect.objectContaining({
        selection: expect.objectContaining({ tagStatus: 'untagged', countNumber: UNTAGGED_IMAGE_DAYS }),
      }),
      expect.objectContaining({
        selection: expect.objectContaining({ tagStatus: 'any', countNumber: KEEP_TAGGED_IMAGES }),
      }),
    ]);
  });
});

describe('delivery: GitHub OIDC provider and roles pinned to the repository and the environment', () => {
  const git = config.organization.git;
  const repo = `repo:${git.githubOwner}/${git.githubRepo}`;

  it.each(ENVIRONMENTS)('%s: each role trusts exactly one subject and the sts audience', (name) => {
    const template = templateOf(name, 'delivery');
    only(template, 'AWS::IAM::OIDCProvider');
    const names = environment(name).names;
    const expected: Record<string, string> = {
      // Not the main branch's ref: every job on main would get it, the dev release job included.
      [names.ciImagePushRoleName]: `${repo}:environment:${name}`,
      [names.ciInfraDeployRoleName]: `${repo}:environment:${name}`,
      [names.ciSpaPublishRoleName]: `${repo}:environment:${name}`,
    };
    for (const [roleName, subject] of Object.entries(expected)) {
      const [, role] = resources(template, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === roleName) ?? [];
      const [statement] = role?.Properties.AssumeRolePolicyDocument.Statement ?? [];
      expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(statement.Condition).toEqual({
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': subject,
        },
      });
    }
  });

  it('infra deploy may only assume the CDK bootstrap roles', () => {
    const statements = policyStatements(templateOf('prod', 'delivery'), 'GithubOidcInfraDeploy');
    expect(statements.flatMap((s) => asArray(s.Action)).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    for (const arn of asArray(statements[0]?.Resource as string[])) {
      expect(arn).toMatch(
        /^arn:aws:iam::\d{12}:role\/cdk-hnb659fds-(deploy|file-publishing|image-publishing|lookup)-role-\d{12}-(us-east-1|us-west-2)$/,
      );
    }
  });

  it('SPA publish may only write the SPA bucket, read the distribution id and invalidate the distribution', () => {
    const statements = policyStatements(templateOf('prod', 'delivery'), 'GithubOidcSpaPublish');
    expect(statements.flatMap((s) => asArray(s.Action)).sort()).toEqual(
      [
        'cloudfront:CreateInvalidation',
        'cloudfront:GetInvalidation',
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'ssm:GetParameter',
        'ssm:GetParameter',
      ].sort(),
    );
    const read = statements.find((s) => asArray(s.Action).includes('ssm:GetParameter'));
    const parameter = environment('prod').names.spaDistributionIdParameterName;
    expect(JSON.stringify(read?.Resource)).toContain(`:ssm:us-east-1:`);
    expect(JSON.stringify(read?.Resource)).toContain(`:parameter${parameter}`);
  });

  it('image push may only push to the API repository and sign with the image profile', () => {
    const statements = policyStatements(templateOf('prod', 'delivery'), 'GithubOidcImagePush');
    const push = statements.find((s) => asArray(s.Action).includes('ecr:PutImage'));
    expect(push?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiRepository/), 'Arn'] });
    // Notation reads the manifest it signs.
    expect(asArray(push?.Action)).toEqual(expect.arrayContaining(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']));
    const sign = statements.find((s) => asArray(s.Action).includes('signer:SignPayload'));
    expect(sign?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ImageSigningProfile/), 'Arn'] });
  });

  it.each(ENVIRONMENTS.map((name, index) => [name, ENVIRONMENTS[index - 1], ENVIRONMENTS[index + 1]] as const))(
    '%s: promotion pulls from the previous environment with this push role, and lets the next one pull',
    (name, from, to) => {
      const template = templateOf(name, 'delivery');
      const pull = policyStatements(template, 'GithubOidcImagePush').find(
        (s) => (s as { Sid?: string }).Sid === 'PullFromThePreviousEnvironment',
      );
      if (from) {
        const source = environment(from);
        expect(pull?.Resource).toBe(
          `arn:aws:ecr:${source.region}:${source.account.id}:repository/${source.names.apiRepositoryName}`,
        );
        expect(asArray(pull?.Action).sort()).toEqual(
          ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'].sort(),
        );
      } else expect(pull).toBeUndefined();
      const policy = only(template, 'AWS::ECR::Repository').Properties.RepositoryPolicyText;
      if (to) {
        const target = environment(to);
        expect(policy.Statement).toEqual([
          {
            Sid: `PromotionTo${to}Pulls`,
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${target.account.id}:role/${target.names.ciImagePushRoleName}` },
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          },
        ]);
      } else expect(policy).toBeUndefined();
    },
  );

  it('SPA publish reads the sign-in parameters it writes into config.json', () => {
    const names = environment('prod').names;
    const read = policyStatements(templateOf('prod', 'delivery'), 'GithubOidcSpaPublish').find(
      (s) => (s as { Sid?: string }).Sid === 'ReadTheSignInParametersOnly',
    );
    const arns = JSON.stringify(read?.Resource);
    expect(arns).toContain(`:parameter${names.authIssuerParameterName}`);
    expect(arns).toContain(`:parameter${names.authClientIdParameterName}`);
  });
});
