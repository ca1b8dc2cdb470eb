/**
 * The GitHub token Argo CD's notifications controller reports drift with (ADR 0092, requirement DEL-5): an empty,
 * KMS-encrypted placeholder a person fills, readable by one role that External Secrets assumes for Argo CD's
 * namespace, and by nothing else External Secrets reads as. The decisions come from the synthesized policies,
 * evaluated by @cloud-copilot/iam-simulate.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { asArray, only, policyStatements, resources } from '../helpers/template-queries.ts';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Only statements whose resources are literal ARNs: the simulator needs no CloudFormation intrinsics. */
const literal = (statements: Statement[]) =>
  statements.filter((s) => asArray(s.Resource).every((r) => typeof r === 'string'));

async function decide(statements: Statement[], principal: string, action: string, resource: string, account: string) {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: 'role', policy: { Version: '2012-10-17', Statement: literal(statements) } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal,
        action,
        resource: { resource, accountId: account },
        contextVariables: {
          'aws:RequestedRegion': resource.split(':')[3] ?? 'us-east-1',
          'aws:PrincipalArn': principal,
        },
      },
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType !== 'single') throw new Error(`simulation of ${action} on ${resource}: ${result.resultType}`);
  return result.overallResult;
}

describe.each(ENVIRONMENTS)('%s: the Argo CD dispatch token', (name) => {
  const env = environment(name);
  const { names } = env;
  const account = env.account.id;
  const secretArn = (secretName: string) =>
    `arn:aws:secretsmanager:${env.region}:${account}:secret:${secretName}-AbCdEf`;
  const token = secretArn(names.argocdDispatchTokenSecretName);
  const observability = templateOf(name, 'observability');
  const cluster = templateOf(name, 'cluster');
  const readerRoleArn = `arn:aws:iam::${account}:role/${names.argocdNotificationsSecretReaderRoleName}`;
  const reader = policyStatements(cluster, 'ArgoCdNotificationsSecretReader') as Statement[];
  const externalSecrets = policyStatements(cluster, 'PodIdentitiesexternalSecrets') as Statement[];

  it('is an empty placeholder, encrypted with its own rotating CMK', () => {
    const secret = resources(observability, 'AWS::SecretsManager::Secret').find(
      ([, s]) => s.Properties.Name === names.argocdDispatchTokenSecretName,
    )?.[1];
    if (!secret) throw new Error(`no secret ${names.argocdDispatchTokenSecretName}`);
    expect(JSON.parse(secret.Properties.SecretString)).toEqual({ token: '' });
    const keyId = secret.Properties.KmsKeyId['Fn::GetAtt'][0] as string;
    expect(keyId).toMatch(/^ArgoCdDispatchTokenKey/);
    const key = resources(observability, 'AWS::KMS::Key').find(([id]) => id === keyId)?.[1];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
  });

  it("the reader role is trusted by External Secrets' Pod Identity role alone", () => {
    const role = resources(cluster, 'AWS::IAM::Role').find(
      ([, r]) => r.Properties.RoleName === names.argocdNotificationsSecretReaderRoleName,
    )?.[1];
    const trust = role?.Properties.AssumeRolePolicyDocument.Statement as { Principal: unknown }[];
    expect(trust.map((s) => s.Principal)).toEqual([
      { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^PodIdentitiesexternalSecretsRole/), 'Arn'] } },
    ]);
  });

  it('the reader role reads the token and nothing else, and decrypts only through Secrets Manager', async () => {
    expect(await decide(reader, readerRoleArn, 'secretsmanager:GetSecretValue', token, account)).toBe('Allowed');
    for (const other of [names.databaseAppSecretName, names.grafanaOperatorTokenSecretName, names.databaseSecretName])
      expect(await decide(reader, readerRoleArn, 'secretsmanager:GetSecretValue', secretArn(other), account)).toBe(
        'ImplicitlyDenied',
      );
    expect(reader.flatMap((s) => asArray(s.Action)).sort()).toEqual([
      'kms:Decrypt',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const decrypt = reader.find((s) => asArray(s.Action).includes('kms:Decrypt'));
    expect(decrypt?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com` },
    });
    expect(JSON.stringify(decrypt?.Resource)).toContain('ArgoCdDispatchTokenKey');
  });

  it("External Secrets' own role may not read the token (so the shared store cannot hand it out), only assume the reader", async () => {
    const esoRole = `arn:aws:iam::${account}:role/external-secrets`;
    expect(await decide(externalSecrets, esoRole, 'secretsmanager:GetSecretValue', token, account)).toBe(
      'ExplicitlyDenied',
    );
    // Still reads the rest of the environment's path.
    expect(
      await decide(
        externalSecrets,
        esoRole,
        'secretsmanager:GetSecretValue',
        secretArn(names.databaseAppSecretName),
        account,
      ),
    ).toBe('Allowed');
    expect(await decide(externalSecrets, esoRole, 'sts:AssumeRole', readerRoleArn, account)).toBe('Allowed');
  });

  it('nothing else in the cluster stack names the token', () => {
    const all = resources(cluster, 'AWS::IAM::Policy')
      .filter(
        ([id]) => !id.startsWith('ArgoCdNotificationsSecretReader') && !id.startsWith('PodIdentitiesexternalSecrets'),
      )
      .map(([, p]) => JSON.stringify(p.Properties.PolicyDocument));
    for (const doc of all) expect(doc).not.toContain(names.argocdDispatchTokenSecretName);
    expect(only(cluster, 'AWS::EKS::Cluster')).toBeDefined();
  });
});
