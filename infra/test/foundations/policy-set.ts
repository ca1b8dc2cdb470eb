/** Collects every policy the scenario table evaluates from the synthesized templates. */
import { logArchiveNames } from '../../lib/foundations/log-archive-names.ts';
import { stacksOf, templateOf } from '../helpers/environment-stacks.ts';
import { OrganizationModel } from './organization-model.ts';
import type { PolicyJson, PolicySet } from './policy-simulator.ts';
import {
  type CfnTemplate,
  config,
  resolveIntrinsics,
  resourcesOfType,
  type SynthesizedStack,
  synthesized,
} from './synthesized.ts';

export function synthesizedPolicySet(): PolicySet {
  const stacks = synthesized();
  const names = logArchiveNames(config);
  const logs = stacks.logArchive;
  const app = config.organization.tags.app;
  return {
    organization: new OrganizationModel(stacks.organization),
    resourcePolicies: {
      cloudTrailBucket: bucketPolicy(logs, names.cloudTrailBucket),
      configBucket: bucketPolicy(logs, names.configBucket),
      trailKey: keyPolicy(logs, `alias/${config.organization.tags.app}-org-cloudtrail`),
      configKey: keyPolicy(logs, names.configKeyAlias),
      breakGlassTrust: breakGlassTrust(stacks.memberBaseline),
      costAlertsTopic: topicPolicy(stacks.costGuardrails, `${app}-cost-alerts`),
      costAlertsKey: keyPolicy(stacks.costGuardrails, `alias/${app}-cost-alerts`),
      backupCopiesVault: vaultPolicy(logs, config.organization.foundations.backupCopies.vaultName),
      ...clusterRoleTrusts(),
    },
    permissionSetPolicies: permissionSetPolicies(stacks.identity),
  };
}

/**
 * Trust policies of the roles the EKS access entries map (cluster-admin, cluster-viewer), from prod's synthesized
 * cluster stack: the roles people assume after Identity Center, which must trust nothing else; and the policy of
 * the key Session Manager sessions are encrypted with.
 */
function clusterRoleTrusts(): Record<'clusterAdminTrust' | 'clusterViewerTrust' | 'sessionKey', PolicyJson> {
  const prod = config.environment('prod');
  const stack = stacksOf('prod').cluster;
  const cluster: SynthesizedStack = {
    stack,
    template: templateOf('prod', 'cluster').toJSON() as CfnTemplate,
    account: prod.account.id,
    region: prod.region,
  };
  const trustOf = (roleName: string): PolicyJson => {
    const role = resourcesOfType(cluster.template, 'AWS::IAM::Role').find(
      ([, candidate]) => candidate.Properties?.RoleName === roleName,
    );
    if (!role) throw new Error(`no role ${roleName} in the prod cluster stack`);
    return resolveIntrinsics(role[1].Properties?.AssumeRolePolicyDocument, cluster) as PolicyJson;
  };
  return {
    clusterAdminTrust: trustOf(prod.names.clusterAdminRoleName),
    clusterViewerTrust: trustOf(prod.names.clusterViewerRoleName),
    sessionKey: keyPolicy(cluster, `alias/${prod.names.prefix}-ssm-sessions`),
  };
}

/** The break-glass role's trust policy, from the template body the global StackSet deploys to every member. */
function breakGlassTrust(from: SynthesizedStack): PolicyJson {
  const stackSets = resourcesOfType(from.template, 'AWS::CloudFormation::StackSet');
  for (const [, stackSet] of stackSets) {
    const body = JSON.parse(stackSet.Properties?.TemplateBody as string) as CfnTemplate;
    const role = Object.values(body.Resources).find(
      (resource) =>
        resource.Type === 'AWS::IAM::Role' &&
        resource.Properties?.RoleName === config.organization.foundations.protectedRoles.breakGlassRoleName,
    );
    if (role) return role.Properties?.AssumeRolePolicyDocument as PolicyJson;
  }
  throw new Error('no StackSet deploys the break-glass role');
}

function topicPolicy(from: SynthesizedStack, topicName: string): PolicyJson {
  const [topicId] =
    resourcesOfType(from.template, 'AWS::SNS::Topic').find(([, topic]) => topic.Properties?.TopicName === topicName) ??
    [];
  const policy = resourcesOfType(from.template, 'AWS::SNS::TopicPolicy').find(([, candidate]) =>
    ((candidate.Properties?.Topics ?? []) as Array<{ Ref?: string }>).some((topic) => topic.Ref === topicId),
  );
  if (!topicId || !policy) throw new Error(`no topic policy for ${topicName}`);
  return resolveIntrinsics(policy[1].Properties?.PolicyDocument, from) as PolicyJson;
}

/** Inline policy of each permission set, by permission set name. */
function permissionSetPolicies(from: SynthesizedStack): Record<string, PolicyJson> {
  return Object.fromEntries(
    resourcesOfType(from.template, 'AWS::SSO::PermissionSet')
      .filter(([, set]) => set.Properties?.InlinePolicy !== undefined)
      .map(([, set]) => [
        set.Properties?.Name as string,
        resolveIntrinsics(set.Properties?.InlinePolicy, from) as PolicyJson,
      ]),
  );
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

function vaultPolicy(from: SynthesizedStack, vaultName: string): PolicyJson {
  const vault = resourcesOfType(from.template, 'AWS::Backup::BackupVault').find(
    ([, candidate]) => candidate.Properties?.BackupVaultName === vaultName,
  );
  if (!vault) throw new Error(`no backup vault ${vaultName}`);
  return resolveIntrinsics(vault[1].Properties?.AccessPolicy, from) as PolicyJson;
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
