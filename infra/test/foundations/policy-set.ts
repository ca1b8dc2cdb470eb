/** Collects every policy the scenario table evaluates from the synthesized templates. */
import { logArchiveNames } from '../../lib/foundations/log-archive-names.ts';
import { OrganizationModel } from './organization-model.ts';
import type { PolicyJson, PolicySet } from './policy-simulator.ts';
import { config, resolveIntrinsics, resourcesOfType, type SynthesizedStack, synthesized } from './synthesized.ts';

export function synthesizedPolicySet(): PolicySet {
  const stacks = synthesized();
  const names = logArchiveNames(config);
  const logs = stacks.logArchive;
  return {
    organization: new OrganizationModel(stacks.organization),
    resourcePolicies: {
      cloudTrailBucket: bucketPolicy(logs, names.cloudTrailBucket),
      configBucket: bucketPolicy(logs, names.configBucket),
      trailKey: keyPolicy(logs, `alias/${config.organization.tags.app}-org-cloudtrail`),
      configKey: keyPolicy(logs, names.configKeyAlias),
    },
  };
}

function bucketPolicy(from: SynthesizedStack, bucketName: string): PolicyJson {
  const [bucketId] =
    resourcesOfType(from.template, 'AWS::S3::Bucket').find(
      ([, bucket]) => bucket.Properties?.BucketName === bucketName,
    ) ?? [];
  if (!bucketId) throw new Error(`no bucket ${bucketName}`);
  const policies = resourcesOfType(from.template, 'AWS::S3::BucketPolicy').filter(
    ([, policy]) => (policy.Properties?.Bucket as { Ref?: string } | undefined)?.Ref === bucketId,
  );
  if (policies.length !== 1) throw new Error(`bucket ${bucketName} has ${policies.length} bucket policies`);
  return resolveIntrinsics(policies[0]?.[1].Properties?.PolicyDocument, from) as PolicyJson;
}

function keyPolicy(from: SynthesizedStack, aliasName: string): PolicyJson {
  const alias = resourcesOfType(from.template, 'AWS::KMS::Alias').find(
    ([, candidate]) => candidate.Properties?.AliasName === aliasName,
  );
  const target = (alias?.[1].Properties?.TargetKeyId as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
    'Fn::GetAtt'
  ]?.[0];
  const key = target ? from.template.Resources[target] : undefined;
  if (!key) throw new Error(`no key behind ${aliasName}`);
  return resolveIntrinsics(key.Properties?.KeyPolicy, from) as PolicyJson;
}
