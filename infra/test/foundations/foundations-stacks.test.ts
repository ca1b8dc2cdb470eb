/**
 * Fine-grained assertions on the synthesized foundations stacks, one `describe` per requirement (docs/requirements.md, ORG).
 * Expected values come from config (or from the one function that owns them), never from a copy of the output.
 */
import { COST_TAG_KEYS } from '@innovate/config';
import { CfnResource, TagManager } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { monthlyBudgetUsd } from '../../lib/foundations/budget-amounts.ts';
import { CONFORMANCE_RULES } from '../../lib/foundations/conformance-rules.ts';
import { permissionSetName } from '../../lib/foundations/guardrail-settings.ts';
import { logArchiveNames } from '../../lib/foundations/log-archive-names.ts';
import { BUDGET_ALERTS } from '../../lib/foundations/stacks/cost-guardrails-stack.ts';
import {
  accounts,
  type CfnResource as CfnJson,
  config,
  foundations,
  resourcesOfType,
  type SynthesizedStack,
  synthesized,
} from './synthesized.ts';

const stacks = synthesized();
const names = logArchiveNames(config);
const app = config.organization.tags.app;
const allStacks: SynthesizedStack[] = [
  stacks.organization,
  stacks.logArchive,
  stacks.organizationTrail,
  stacks.securityFindings,
  stacks.identity,
  stacks.costGuardrails,
  stacks.memberBaseline,
  ...stacks.delegatedAdmin,
  ...stacks.securityServices,
];

const only = (stack: SynthesizedStack, type: string): CfnJson => {
  const found = resourcesOfType(stack.template, type);
  expect(found, `${type} in ${stack.stack.stackName}`).toHaveLength(1);
  return (found[0] as [string, CfnJson])[1];
};
const bucketNamed = (name: string): CfnJson => {
  const found = resourcesOfType(stacks.logArchive.template, 'AWS::S3::Bucket').find(
    ([, bucket]) => bucket.Properties?.BucketName === name,
  );
  if (!found) throw new Error(`no bucket ${name}`);
  return found[1];
};

describe('organization as code', () => {
  const template = stacks.organization.template;
  const ous = resourcesOfType(template, 'AWS::Organizations::OrganizationalUnit');

  it('creates every OU of config under its parent', () => {
    expect(ous.map(([, ou]) => ou.Properties?.Name).sort()).toEqual(
      foundations.organizationalUnits.map((ou) => ou.name).sort(),
    );
    for (const ou of foundations.organizationalUnits) {
      const [, resource] = ous.find(([, candidate]) => candidate.Properties?.Name === ou.name) ?? [];
      const parent = resource?.Properties?.ParentId;
      if (ou.parent === undefined) {
        expect(parent).toBe(foundations.rootId);
      } else {
        const [parentId] = ous.find(([, candidate]) => candidate.Properties?.Name === ou.parent) ?? [];
        expect(parent).toEqual({ Ref: parentId });
      }
    }
  });

  it('creates every member account (not the management account) in its OU, retained on removal', () => {
    const created = resourcesOfType(template, 'AWS::Organizations::Account');
    expect(created.map(([, account]) => account.Properties?.Email).sort()).toEqual(
      accounts.members.map((account) => account.email).sort(),
    );
    for (const account of accounts.members) {
      const [, resource] = created.find(([, candidate]) => candidate.Properties?.Email === account.email) ?? [];
      const [ouId] = ous.find(([, ou]) => ou.Properties?.Name === account.ou) ?? [];
      expect(resource?.Properties?.ParentIds).toEqual([{ Ref: ouId }]);
      expect(resource?.Properties?.RoleName).toBe(foundations.protectedRoles.orgAutomationRoleName);
      expect(resource?.DeletionPolicy).toBe('Retain');
    }
  });

  it('attaches the cost tag policy with the four keys to the root', () => {
    const [, policy] =
      resourcesOfType(template, 'AWS::Organizations::Policy').find(([, p]) => p.Properties?.Type === 'TAG_POLICY') ??
      [];
    expect(policy?.Properties?.TargetIds).toEqual([foundations.rootId]);
    const content = policy?.Properties?.Content as { tags: Record<string, { tag_key: { '@@assign': string } }> };
    expect(Object.keys(content.tags).sort()).toEqual([...COST_TAG_KEYS].sort());
    for (const key of COST_TAG_KEYS) expect(content.tags[key]?.tag_key['@@assign']).toBe(key);
  });

  it('protects the organization and log archive stacks from deletion', () => {
    expect(stacks.organization.stack.terminationProtection).toBe(true);
    expect(stacks.logArchive.stack.terminationProtection).toBe(true);
    expect(stacks.organizationTrail.stack.terminationProtection).toBe(true);
  });
});

describe('central logging: organization CloudTrail into a WORM bucket', () => {
  const trail = only(stacks.organizationTrail, 'AWS::CloudTrail::Trail').Properties ?? {};
  const bucket = bucketNamed(names.cloudTrailBucket).Properties ?? {};

  it('keeps only the trail in the management account; bucket and key live in the log-archive account (SCPs)', () => {
    expect(stacks.organizationTrail.account).toBe(accounts.management.id);
    expect(stacks.logArchive.account).toBe(accounts.logArchive.id);
    expect(accounts.logArchive.ou).toBe(foundations.accountOus.logArchive);
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      expect(resourcesOfType(stacks.organizationTrail.template, type)).toEqual([]);
    }
    expect(resourcesOfType(stacks.logArchive.template, 'AWS::CloudTrail::Trail')).toEqual([]);
    // The trail deploys after the bucket and key policies that admit it exist.
    expect(stacks.organizationTrail.stack.dependencies).toContain(stacks.logArchive.stack);
  });

  it('is an organization trail in all regions with log file validation and KMS', () => {
    expect(trail).toMatchObject({
      TrailName: names.trailName,
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
    });
    // By alias ARN in the log-archive account: a key ARN there is not known to the management account's template.
    expect(trail.KMSKeyId).toBe(
      `arn:aws:kms:${config.organization.primaryRegion}:${accounts.logArchive.id}:${names.trailKeyAlias}`,
    );
    expect(
      resourcesOfType(stacks.logArchive.template, 'AWS::KMS::Alias').map(([, a]) => a.Properties?.AliasName),
    ).toContain(names.trailKeyAlias);
  });

  it('writes to the log-archive bucket, which has Object Lock with the configured mode and retention', () => {
    expect(trail.S3BucketName).toBe(names.cloudTrailBucket);
    expect(bucket.ObjectLockEnabled).toBe(true);
    expect(bucket.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: {
        DefaultRetention: {
          Mode: foundations.logArchive.objectLockMode,
          Days: foundations.logArchive.objectLockRetentionDays,
        },
      },
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('encrypts with its KMS key, blocks public access, and moves logs to Glacier then expires them', () => {
    const sse = (bucket.BucketEncryption as { ServerSideEncryptionConfiguration: Array<Record<string, unknown>> })
      .ServerSideEncryptionConfiguration[0];
    expect(sse).toMatchObject({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const rule = (bucket.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules[0];
    expect(rule).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: foundations.logArchive.expireAfterDays,
      Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: foundations.logArchive.transitionToGlacierDays }],
    });
  });

  it('keeps AWS Config and S3 access logs in their own buckets, without Object Lock (ADR 0041)', () => {
    for (const name of [names.configBucket, names.accessLogsBucket]) {
      expect(bucketNamed(name).Properties?.ObjectLockEnabled).toBeUndefined();
    }
    // Server access logging can only deliver to SSE-S3.
    expect(JSON.stringify(bucketNamed(names.accessLogsBucket).Properties?.BucketEncryption)).toContain('AES256');
    for (const name of [names.cloudTrailBucket, names.configBucket]) {
      expect(JSON.stringify(bucketNamed(name).Properties?.LoggingConfiguration)).toContain('AccessLogsBucket');
    }
  });

  it('rotates every key and pins the logical ids of the stateful resources', () => {
    for (const stack of allStacks) {
      for (const [, key] of resourcesOfType(stack.template, 'AWS::KMS::Key')) {
        expect(key.Properties?.EnableKeyRotation).toBe(true);
      }
    }
    const ids = Object.keys(stacks.logArchive.template.Resources);
    for (const pinned of ['TrailKey', 'ConfigKey', 'CloudTrailBucket', 'ConfigBucket', 'AccessLogsBucket']) {
      expect(
        ids.some((id) => new RegExp(`^${pinned}[0-9A-F]{8}$`).test(id)),
        pinned,
      ).toBe(true);
    }
    for (const [, resource] of [
      ...resourcesOfType(stacks.logArchive.template, 'AWS::S3::Bucket'),
      ...resourcesOfType(stacks.logArchive.template, 'AWS::KMS::Key'),
    ]) {
      expect(resource.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('AWS Config across the organization', () => {
  const stackSets = resourcesOfType(stacks.memberBaseline.template, 'AWS::CloudFormation::StackSet').map(
    ([, stackSet]) => stackSet.Properties ?? {},
  );
  const bodies = stackSets.map((stackSet) => JSON.parse(stackSet.TemplateBody as string));

  it('auto-deploys service-managed StackSets to every top-level OU (so every member account)', () => {
    const topLevel = foundations.organizationalUnits.filter((ou) => ou.parent === undefined);
    for (const stackSet of stackSets) {
      expect(stackSet.PermissionModel).toBe('SERVICE_MANAGED');
      expect(stackSet.AutoDeployment).toEqual({ Enabled: true, RetainStacksOnAccountRemoval: false });
      const [group] = stackSet.StackInstancesGroup as Array<{
        DeploymentTargets: { OrganizationalUnitIds: unknown[] };
      }>;
      expect(group?.DeploymentTargets.OrganizationalUnitIds).toHaveLength(topLevel.length);
    }
  });

  it('records in every member account and allowed region, delivering to the central Config bucket', () => {
    const regional = stackSets.find((stackSet) =>
      JSON.stringify(stackSet.TemplateBody).includes('ConfigurationRecorder'),
    );
    expect(((regional?.StackInstancesGroup ?? []) as Array<{ Regions: string[] }>)[0]?.Regions.sort()).toEqual(
      [config.organization.primaryRegion, config.organization.drRegion].sort(),
    );
    const body = bodies.find((candidate) => candidate.Resources.ConfigRecorder);
    expect(body.Resources.ConfigRecorder.Properties.RecordingGroup.AllSupported).toBe(true);
    expect(body.Resources.DeliveryChannel.Properties.S3BucketName).toBe(names.configBucket);
  });

  it('records in the management account too', () => {
    expect(only(stacks.memberBaseline, 'AWS::Config::ConfigurationRecorder').Properties?.RecordingGroup).toEqual({
      AllSupported: true,
      IncludeGlobalResourceTypes: true,
    });
    expect(only(stacks.memberBaseline, 'AWS::Config::DeliveryChannel').Properties?.S3BucketName).toBe(
      names.configBucket,
    );
  });

  it('runs the conformance pack in the security account in every region, aggregates in the primary one', () => {
    for (const stack of stacks.securityServices) {
      expect(stack.account).toBe(accounts.security.id);
      const pack = JSON.parse(
        only(stack, 'AWS::Config::OrganizationConformancePack').Properties?.TemplateBody as string,
      );
      const identifiers = Object.values(pack.Resources as Record<string, CfnJson>).map(
        (rule) => (rule.Properties?.Source as { SourceIdentifier: string } | undefined)?.SourceIdentifier,
      );
      const primary = stack.region === config.organization.primaryRegion;
      const expected = CONFORMANCE_RULES.filter((rule) => primary || !rule.accountLevel).map((rule) => rule.identifier);
      expect(identifiers.sort()).toEqual(expected.sort());
      expect(resourcesOfType(stack.template, 'AWS::Config::ConfigurationAggregator')).toHaveLength(primary ? 1 : 0);
    }
    const required = ['ENCRYPTED_VOLUMES', 'RDS_STORAGE_ENCRYPTED', 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED'];
    for (const id of [
      ...required,
      'S3_BUCKET_PUBLIC_READ_PROHIBITED',
      'ROOT_ACCOUNT_MFA_ENABLED',
      'CLOUD_TRAIL_ENABLED',
    ]) {
      expect(CONFORMANCE_RULES.map((rule) => rule.identifier)).toContain(id);
    }
  });
});

describe('Security Hub, GuardDuty and Access Analyzer in the security account', () => {
  it('has one stack per allowed region in the security account', () => {
    expect(stacks.securityServices.map((stack) => stack.region).sort()).toEqual(
      [config.organization.primaryRegion, config.organization.drRegion].sort(),
    );
  });

  it.each(stacks.securityServices.map((stack) => [stack.region, stack] as const))('%s', (_region, stack) => {
    expect(only(stack, 'AWS::GuardDuty::Detector').Properties?.Enable).toBe(true);
    expect(only(stack, 'AWS::SecurityHub::Hub').Properties?.EnableDefaultStandards).toBe(true);
    expect(only(stack, 'AWS::SecurityHub::OrganizationConfiguration').Properties).toMatchObject({
      AutoEnable: true,
      AutoEnableStandards: 'DEFAULT',
    });
    expect(only(stack, 'AWS::AccessAnalyzer::Analyzer').Properties?.Type).toBe('ORGANIZATION');
  });
});

describe('IAM Identity Center', () => {
  const sets = resourcesOfType(stacks.identity.template, 'AWS::SSO::PermissionSet').map(([id, set]) => [
    id,
    set.Properties ?? {},
  ]) as Array<[string, Record<string, unknown>]>;
  const idc = foundations.identityCenter;

  it('creates read-only, devops, security-admin, break-glass and prod-data-access with short sessions', () => {
    for (const key of Object.keys(idc.sessionDurations) as Array<keyof typeof idc.sessionDurations>) {
      const [, set] = sets.find(([, candidate]) => candidate.Name === permissionSetName(config, key)) ?? [];
      expect(set?.SessionDuration, key).toBe(idc.sessionDurations[key]);
      expect(set?.InstanceArn).toBe(idc.instanceArn);
    }
    expect(sets).toHaveLength(Object.keys(idc.sessionDurations).length);
  });

  it('assigns each group to exactly the accounts of config', () => {
    const assignments = resourcesOfType(stacks.identity.template, 'AWS::SSO::Assignment').map(
      ([, assignment]) => assignment.Properties ?? {},
    );
    const expected = idc.assignments.flatMap((assignment) =>
      assignment.accounts.map((key) => `${idc.groups[assignment.permissionSet]}@${accounts.get(key).id}`),
    );
    expect(assignments.map((a) => `${a.PrincipalId}@${a.TargetId}`).sort()).toEqual(expected.sort());
    expect(assignments.every((a) => a.PrincipalType === 'GROUP' && a.TargetType === 'AWS_ACCOUNT')).toBe(true);
  });
});

describe('cost guardrails', () => {
  const budgets = resourcesOfType(stacks.costGuardrails.template, 'AWS::Budgets::Budget').map(
    ([, budget]) => budget.Properties ?? {},
  );

  it('has one monthly budget per account, with the amount from the budget seam', () => {
    expect(budgets).toHaveLength(accounts.all.length);
    for (const account of accounts.all) {
      const budget = budgets.find((b) => JSON.stringify(b).includes(`"${account.id}"`))?.Budget as Record<
        string,
        unknown
      >;
      expect(budget, account.key).toMatchObject({
        TimeUnit: 'MONTHLY',
        BudgetType: 'COST',
        BudgetLimit: { Amount: monthlyBudgetUsd(config, account.key), Unit: 'USD' },
        FilterExpression: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [account.id] } },
      });
    }
  });

  it('alerts at 80% and 100% actual and 100% forecast, to the topic and by e-mail', () => {
    for (const budget of budgets) {
      const notifications = budget.NotificationsWithSubscribers as Array<{
        Notification: { NotificationType: string; Threshold: number };
        Subscribers: Array<{ SubscriptionType: string }>;
      }>;
      expect(notifications.map((n) => [n.Notification.NotificationType, n.Notification.Threshold])).toEqual(
        BUDGET_ALERTS.map(([type, threshold]) => [type, threshold]),
      );
      for (const n of notifications)
        expect(n.Subscribers.map((s) => s.SubscriptionType).sort()).toEqual(['EMAIL', 'SNS']);
    }
    expect(BUDGET_ALERTS).toEqual([
      ['ACTUAL', 80],
      ['ACTUAL', 100],
      ['FORECASTED', 100],
    ]);
  });

  it('subscribes an encrypted SNS topic to Cost Anomaly Detection above the configured impact', () => {
    const subscription = only(stacks.costGuardrails, 'AWS::CE::AnomalySubscription').Properties ?? {};
    expect(subscription.Frequency).toBe('IMMEDIATE');
    expect((subscription.Subscribers as Array<{ Type: string }>)[0]?.Type).toBe('SNS');
    expect(JSON.parse(subscription.ThresholdExpression as string).Dimensions.Values).toEqual([
      String(foundations.anomalyThresholdUsd),
    ]);
    expect(only(stacks.costGuardrails, 'AWS::SNS::Topic').Properties?.KmsMasterKeyId).toBeDefined();
  });
});

describe('cost tags on every taggable foundations resource', () => {
  it.each(allStacks.map((stack) => [stack.stack.stackName, stack] as const))('%s', (_name, synthesizedStack) => {
    const missing: string[] = [];
    let checked = 0;
    for (const construct of synthesizedStack.stack.node.findAll()) {
      if (!CfnResource.isCfnResource(construct) || !TagManager.isTaggable(construct)) continue;
      checked += 1;
      const logicalId = synthesizedStack.stack.getLogicalId(construct);
      const tags = JSON.stringify(synthesizedStack.template.Resources[logicalId]?.Properties?.Tags ?? null);
      for (const key of COST_TAG_KEYS) if (!tags.includes(`"${key}"`)) missing.push(`${logicalId}:${key}`);
    }
    expect(checked).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('tags the foundations with env=foundations and the security stacks with env=security', () => {
    const topic = only(stacks.costGuardrails, 'AWS::SNS::Topic').Properties?.Tags;
    expect(topic).toContainEqual({ Key: 'env', Value: 'foundations' });
    const detector = only(stacks.securityServices[0] as SynthesizedStack, 'AWS::GuardDuty::Detector').Properties?.Tags;
    expect(detector).toContainEqual({ Key: 'env', Value: 'security' });
    expect(app).toBe(config.organization.tags.app);
  });
});

describe('the management account pages on root and break-glass sign-ins', () => {
  const template = stacks.identity.template;
  const rules = resourcesOfType(template, 'AWS::Events::Rule').map(([, rule]) => rule.Properties ?? {});
  const management = accounts.management.id;

  it('root console sign-ins', () => {
    const root = rules.find((rule) => JSON.stringify(rule.EventPattern).includes('"Root"'));
    expect(root?.EventPattern).toEqual({
      source: ['aws.signin'],
      'detail-type': ['AWS Console Sign In via CloudTrail'],
      detail: { userIdentity: { type: ['Root'] } },
    });
  });

  it('break-glass users signing in, and the break-glass permission set taking a session', () => {
    const breakGlass = rules.find((rule) => JSON.stringify(rule.EventPattern).includes('ConsoleLogin'));
    if (!breakGlass) throw new Error('no rule matches break-glass console sign-ins');
    const alternatives = (breakGlass.EventPattern as { detail: { $or: unknown[] } }).detail.$or;
    expect(alternatives).toContainEqual({
      eventName: ['ConsoleLogin'],
      userIdentity: { arn: [{ prefix: `arn:aws:iam::${management}:user${foundations.breakGlassUserPath}` }] },
    });
    expect(JSON.stringify(alternatives)).toContain(`AWSReservedSSO_${permissionSetName(config, 'breakGlass')}_*`);
  });

  it('to an encrypted topic that e-mails the security alert address', () => {
    const [topicId, topic] = resourcesOfType(template, 'AWS::SNS::Topic')[0] ?? [];
    expect(topic?.Properties?.KmsMasterKeyId).toBeDefined();
    const subscription = resourcesOfType(template, 'AWS::SNS::Subscription')[0]?.[1].Properties;
    expect(subscription).toMatchObject({ Protocol: 'email', Endpoint: foundations.securityAlertEmail });
    for (const rule of rules) {
      expect((rule.Targets as Array<{ Arn: { Ref: string } }>).map((t) => t.Arn.Ref)).toEqual([topicId]);
    }
  });
});
