/**
 * The foundations stacks built the way `bin/app.ts` builds them (cdk.json context via `testApp`), synthesized once
 * per test file. Tests read the policies from these templates, never from the builders, so what is evaluated is
 * exactly what CloudFormation would receive.
 */
import { loadPlatformConfig } from '@innovate/config';
import type { Stack } from 'aws-cdk-lib';
import { testApp } from '../../lib/app-context.ts';
import { accountDirectory } from '../../lib/foundations/account-directory.ts';
import { addFoundationStacks, type FoundationStacks } from '../../lib/foundations/index.ts';

export const config = loadPlatformConfig();
export const accounts = accountDirectory(config);
export const foundations = config.organization.foundations;

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
}

export interface SynthesizedStack {
  stack: Stack;
  template: CfnTemplate;
  account: string;
  region: string;
}

type Synthesized = {
  [K in keyof FoundationStacks]: FoundationStacks[K] extends Stack[] ? SynthesizedStack[] : SynthesizedStack;
};

let built: Synthesized | undefined;

export function synthesized(): Synthesized {
  if (!built) {
    const app = testApp();
    const stacks = addFoundationStacks(app, config);
    const assembly = app.synth();
    const of = (stack: Stack): SynthesizedStack => ({
      stack,
      template: assembly.getStackArtifact(stack.artifactId).template as CfnTemplate,
      account: stack.account,
      region: stack.region,
    });
    built = {
      organization: of(stacks.organization),
      logArchive: of(stacks.logArchive),
      organizationTrail: of(stacks.organizationTrail),
      securityFindings: of(stacks.securityFindings),
      identity: of(stacks.identity),
      costGuardrails: of(stacks.costGuardrails),
      memberBaseline: of(stacks.memberBaseline),
      delegatedAdmin: stacks.delegatedAdmin.map(of),
      securityServices: stacks.securityServices.map(of),
    };
  }
  return built;
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/**
 * Resolves the intrinsic functions CDK emits in policies (Ref, Fn::GetAtt, Fn::Join, pseudo parameters) to the
 * values AWS would substitute, so the evaluator sees real ARNs. Anything it cannot resolve fails the test loudly.
 */
export function resolveIntrinsics(value: unknown, from: SynthesizedStack): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, from));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    const [fn, arg] = first;
    if (fn === 'Ref') return refValue(arg as string, from);
    if (fn === 'Fn::GetAtt') {
      const [logicalId, attribute] = arg as [string, string];
      return getAtt(logicalId, attribute, from);
    }
    if (fn === 'Fn::Join') {
      const [separator, parts] = arg as [string, unknown[]];
      return parts.map((part) => resolveIntrinsics(part, from)).join(separator);
    }
    throw new Error(`cannot resolve ${fn} in ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(entries.map(([key, inner]) => [key, resolveIntrinsics(inner, from)]));
}

function refValue(name: string, from: SynthesizedStack): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::AccountId': from.account,
    'AWS::Region': from.region,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const known = pseudo[name];
  if (known) return known;
  const resource = from.template.Resources[name];
  if (!resource) throw new Error(`Ref to unknown ${name}`);
  const props = resource.Properties ?? {};
  if (resource.Type === 'AWS::S3::Bucket') return props.BucketName as string;
  if (resource.Type === 'AWS::SNS::Topic')
    return `arn:aws:sns:${from.region}:${from.account}:${props.TopicName as string}`;
  return `${name}-physical-id`;
}

function getAtt(logicalId: string, attribute: string, from: SynthesizedStack): string {
  const resource = from.template.Resources[logicalId];
  if (!resource) throw new Error(`GetAtt of unknown ${logicalId}`);
  const props = resource.Properties ?? {};
  if (resource.Type === 'AWS::S3::Bucket' && attribute === 'Arn') return `arn:aws:s3:::${props.BucketName as string}`;
  if (resource.Type === 'AWS::KMS::Key' && attribute === 'Arn') {
    return `arn:aws:kms:${from.region}:${from.account}:key/${keyId(logicalId)}`;
  }
  throw new Error(`cannot resolve GetAtt ${logicalId}.${attribute} (${resource.Type})`);
}

/** A stable stand-in for the key id AWS generates. */
export function keyId(logicalId: string): string {
  return `00000000-0000-4000-8000-${Buffer.from(logicalId).toString('hex').slice(0, 12).padEnd(12, '0')}`;
}
