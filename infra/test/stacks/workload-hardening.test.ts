/**
 * Hardening an auditor checks on every workload stack: no security group with an all-egress rule, alarm topic keys
 * admitting CloudWatch only for this account, and SSE-KMS on every bucket except the ones S3 or CloudFront log
 * delivery requires on SSE-S3 (listed below with the reason).
 */
import { describe, expect, it } from 'vitest';
import type { WorkloadStacks } from '../../lib/workload-app.ts';
import { ENVIRONMENTS, environment, stacksOf, templateOf } from '../helpers/environment-stacks.ts';
import { asArray, resources } from '../helpers/template-queries.ts';

function parts(name: string): (keyof WorkloadStacks)[] {
  const stacks = stacksOf(name) as unknown as Record<string, unknown>;
  return (Object.keys(stacks) as (keyof WorkloadStacks)[]).filter(
    (part) =>
      typeof stacks[part] === 'object' && stacks[part] !== null && 'templateOptions' in (stacks[part] as object),
  );
}

/** Buckets that stay on SSE-S3, by stack part and logical-id prefix, with the reason. */
const SSE_S3_BUCKETS: Record<string, string> = {
  // S3 server access logging and CloudFront standard logs deliver only to SSE-S3 buckets.
  'edge/AccessLogs': 'target of S3 server access logs and CloudFront standard logs (SSE-S3 only)',
};

/** Security groups allowed all egress, by stack part and logical-id prefix, with the reason. */
const ALL_EGRESS_GROUPS: Record<string, string> = {
  // What leaves through it is already limited where it starts (NetworkPolicies, the workloads' own groups); the
  // NAT's job is to forward any of it. Its inbound side admits the VPC's CIDR only (network-stack tests).
  'network/NetworkVpcNatSecurityGroup': "the NAT instance of dev and staging forwards the private subnets' egress",
};
const allowedAllEgress = (id: string) => Object.keys(ALL_EGRESS_GROUPS).some((prefix) => id.startsWith(prefix));

describe('workload hardening: no security group allows all egress', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const open: string[] = [];
    for (const part of parts(name)) {
      const template = templateOf(name, part);
      for (const [id, group] of resources(template, 'AWS::EC2::SecurityGroup')) {
        for (const rule of asArray(group.Properties.SecurityGroupEgress ?? [])) {
          const all = rule.IpProtocol === '-1' && (rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0');
          if (all && !allowedAllEgress(`${part}/${id}`)) open.push(`${part}/${id}`);
        }
      }
      for (const [id, rule] of resources(template, 'AWS::EC2::SecurityGroupEgress')) {
        if (rule.Properties.IpProtocol === '-1' && rule.Properties.CidrIp === '0.0.0.0/0') open.push(`${part}/${id}`);
      }
    }
    expect(open).toEqual([]);
  });

  it.each(ENVIRONMENTS)('%s: rotation functions reach only HTTPS in the VPC and the database port', (name) => {
    const groups = resources(templateOf(name, 'data'), 'AWS::EC2::SecurityGroup').filter(([id]) =>
      id.includes('RotationSecurityGroup'),
    );
    expect(groups).toHaveLength(1);
    const egress = asArray(
      (groups[0] as [string, { Properties: { SecurityGroupEgress: unknown } }])[1].Properties.SecurityGroupEgress,
    ) as { FromPort: number }[];
    expect(egress.map((rule) => rule.FromPort)).toEqual([443]);
    // The database port is the instance's endpoint port attribute, towards the database's own group.
    const toDatabase = resources(templateOf(name, 'data'), 'AWS::EC2::SecurityGroupEgress').map(
      ([, rule]) => rule.Properties,
    );
    expect(toDatabase).toEqual([
      expect.objectContaining({
        GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^PostgresRotationSecurityGroup/), 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^PostgresSecurityGroup/), 'GroupId'] },
        FromPort: { 'Fn::GetAtt': [expect.stringMatching(/^PostgresInstance/), 'Endpoint.Port'] },
      }),
    ]);
  });
});

describe('workload hardening: alarm topic keys admit CloudWatch only with aws:SourceAccount', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const account = environment(name).account.id;
    const statements = parts(name).flatMap((part) =>
      resources(templateOf(name, part), 'AWS::KMS::Key').flatMap(([, key]) =>
        asArray(key.Properties.KeyPolicy.Statement as { Principal?: { Service?: unknown }; Condition?: unknown }[]),
      ),
    );
    const cloudWatch = statements.filter((s) =>
      asArray(s.Principal?.Service ?? []).includes('cloudwatch.amazonaws.com'),
    );
    expect(cloudWatch.length).toBeGreaterThan(0);
    for (const statement of cloudWatch) {
      expect(statement.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': account } });
    }
  });
});

describe('workload hardening: buckets on SSE-KMS unless log delivery needs SSE-S3', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const sseS3: string[] = [];
    for (const part of parts(name)) {
      for (const [id, bucket] of resources(templateOf(name, part), 'AWS::S3::Bucket')) {
        const rule = bucket.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0];
        const algorithm = rule?.ServerSideEncryptionByDefault?.SSEAlgorithm;
        if (algorithm !== 'aws:kms') sseS3.push(`${part}/${id}`);
      }
    }
    const allowed = Object.keys(SSE_S3_BUCKETS);
    for (const bucket of sseS3)
      expect(
        allowed.some((prefix) => bucket.startsWith(prefix)),
        bucket,
      ).toBe(true);
  });
});
