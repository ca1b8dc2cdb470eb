/**
 * Findings reach a person: every finding source has a rule on the security account's default bus that matches a
 * real-shaped sample event of that source (test/foundations/sample-events, from the services' documented event
 * shapes) and sends it to the findings topic, which the configured address is subscribed to; tampering with the
 * log archive is forwarded there from the management and log-archive accounts. Each route names its runbook entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findingRoutes } from '../../lib/foundations/finding-routes.ts';
import { logArchiveNames } from '../../lib/foundations/log-archive-names.ts';
import { matches } from './event-pattern.ts';
import {
  accounts,
  type CfnResource,
  config,
  foundations,
  resolveIntrinsics,
  resourcesOfType,
  type SynthesizedStack,
  synthesized,
} from './synthesized.ts';

const stacks = synthesized();
const names = logArchiveNames(config);
const findings = stacks.securityFindings;
const RUNBOOK = new URL('../../../docs/runbooks/security-findings.md', import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: sample events are untyped JSON.
type Event = Record<string, any>;
const sample = (name: string): Event => {
  const event = JSON.parse(readFileSync(new URL(`./sample-events/${name}.json`, import.meta.url), 'utf8')) as Event;
  // Tamper events come from the configured accounts and buckets, whatever ids config holds.
  if (event.source === 'aws.cloudtrail') event.account = accounts.management.id;
  if (event.source === 'aws.kms' || event.source === 'aws.s3') event.account = accounts.logArchive.id;
  if (event.source === 'aws.s3') event.detail.requestParameters.bucketName = names.cloudTrailBucket;
  return event;
};

/** The synthesized rules of a stack by the first part of their logical id. */
const rulesOf = (stack: SynthesizedStack): Map<string, CfnResource> =>
  new Map(resourcesOfType(stack.template, 'AWS::Events::Rule'));
const ruleNamed = (stack: SynthesizedStack, prefix: string): CfnResource => {
  const found = [...rulesOf(stack)].filter(([id]) => id.startsWith(prefix));
  expect(found, `${prefix} in ${stack.stack.stackName}`).toHaveLength(1);
  return (found[0] as [string, CfnResource])[1];
};
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON.
const patternOf = (rule: CfnResource) => rule.Properties?.EventPattern as Record<string, any>;

/** Route → a sample that must match it, and a variation that must not (below the threshold, or resolved). */
const CASES: Record<string, { sample: string; miss: (event: Event) => void }> = {
  GuardDutyFindings: {
    sample: 'guardduty-finding',
    miss: (event) => {
      event.detail.severity = 2; // low
    },
  },
  SecurityHubHighFindings: {
    sample: 'securityhub-findings-imported',
    miss: (event) => {
      event.detail.findings[0].Severity.Label = 'MEDIUM';
    },
  },
  ConfigNonCompliance: {
    sample: 'config-compliance-change',
    miss: (event) => {
      event.detail.newEvaluationResult.complianceType = 'COMPLIANT';
    },
  },
  AccessAnalyzerFindings: {
    sample: 'access-analyzer-finding',
    miss: (event) => {
      event.detail.status = 'ARCHIVED';
    },
  },
  InspectorFindings: {
    sample: 'inspector2-finding',
    miss: (event) => {
      event.detail.severity = 'LOW';
    },
  },
  TrailTampering: {
    sample: 'cloudtrail-stop-logging',
    miss: (event) => {
      event.detail.eventName = 'LookupEvents';
    },
  },
  ArchiveKeyTampering: {
    sample: 'kms-schedule-key-deletion',
    miss: (event) => {
      event.account = accounts.get('prod').id; // a workload key is not the archive's
    },
  },
  ArchiveBucketTampering: {
    sample: 's3-put-bucket-policy',
    miss: (event) => {
      event.detail.requestParameters.bucketName = 'some-other-bucket';
    },
  },
};

describe('findings reach a person: one route per finding source (security account, primary region)', () => {
  const routes = findingRoutes(names, accounts.management.id);

  it('covers every source the security account receives, and nothing is left without a case', () => {
    expect(Object.keys(routes).sort()).toEqual(Object.keys(CASES).sort());
    expect(findings.account).toBe(accounts.security.id);
    expect(findings.region).toBe(config.organization.primaryRegion);
  });

  it.each(Object.entries(CASES))('%s: the synthesized rule matches its sample event, not the variation', (id, c) => {
    const pattern = patternOf(ruleNamed(findings, id));
    expect(matches(pattern, sample(c.sample))).toBe(true);
    const missed = sample(c.sample);
    c.miss(missed);
    expect(matches(pattern, missed)).toBe(false);
  });

  it.each(Object.keys(CASES))('%s: sends to the findings topic and names its runbook entry', (id) => {
    const rule = ruleNamed(findings, id);
    const [topicId] = resourcesOfType(findings.template, 'AWS::SNS::Topic')[0] as [string, CfnResource];
    expect(rule.Properties?.Targets).toEqual([expect.objectContaining({ Arn: { Ref: topicId } })]);
    const anchor = (routes[id] as { runbook: string }).runbook;
    expect(String(rule.Properties?.Description)).toContain(`security-findings.md#${anchor}`);
    expect(existsSync(RUNBOOK)).toBe(true);
    // GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes.
    const anchors = [...readFileSync(RUNBOOK, 'utf8').matchAll(/^### (.+)$/gm)].map((m) =>
      (m[1] as string)
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );
    expect(anchors).toContain(anchor);
  });

  it('subscribes the configured address to an encrypted, TLS-only topic', () => {
    const [, topic] = resourcesOfType(findings.template, 'AWS::SNS::Topic')[0] as [string, CfnResource];
    expect(topic.Properties?.KmsMasterKeyId).toBeDefined();
    const subscriptions = resourcesOfType(findings.template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subscriptions).toContainEqual(
      expect.objectContaining({ Protocol: 'email', Endpoint: foundations.securityFindings.alertEmail }),
    );
    const policy = resourcesOfType(findings.template, 'AWS::SNS::TopicPolicy')[0]?.[1];
    expect(JSON.stringify(policy?.Properties?.PolicyDocument)).toContain('aws:SecureTransport');
  });

  it('admits forwarded events from accounts of this organization only', () => {
    const [, policy] = resourcesOfType(findings.template, 'AWS::Events::EventBusPolicy')[0] as [string, CfnResource];
    expect(policy.Properties?.Statement).toMatchObject({
      Action: 'events:PutEvents',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': foundations.organizationId } },
    });
  });
});

describe('tampering with the log archive is forwarded to the security account', () => {
  const securityBus = `arn:aws:events:${config.organization.primaryRegion}:${accounts.security.id}:event-bus/default`;
  it.each([
    ['management account', 'TamperAlertsTrailTampering', () => stacks.organizationTrail],
    ['log-archive account', 'TamperAlertsArchiveKeyTampering', () => stacks.logArchive],
    ['log-archive account', 'TamperAlertsArchiveBucketTampering', () => stacks.logArchive],
  ] as const)('%s: %s targets the security bus with a role', (_where, ruleId, stack) => {
    const rule = ruleNamed(stack(), ruleId);
    const [target] = (rule.Properties?.Targets ?? []) as Array<{ Arn: string; RoleArn: unknown }>;
    expect(target?.Arn).toBe(securityBus);
    expect(target?.RoleArn).toBeDefined();
  });

  it('the StopLogging sample matches the management account rule', () => {
    expect(
      matches(
        patternOf(ruleNamed(stacks.organizationTrail, 'TamperAlertsTrailTampering')),
        sample('cloudtrail-stop-logging'),
      ),
    ).toBe(true);
  });
});

describe('the other regions forward their findings to the primary one', () => {
  it.each(
    stacks.securityServices
      .filter((s) => s.region !== config.organization.primaryRegion)
      .map((s) => [s.region, s] as const),
  )('%s', (region, stack) => {
    const primaryBus = `arn:aws:events:${config.organization.primaryRegion}:${accounts.security.id}:event-bus/default`;
    for (const id of ['GuardDutyFindings', 'ConfigNonCompliance', 'AccessAnalyzerFindings', 'InspectorFindings']) {
      const rule = ruleNamed(stack, `ForwardFindings${id}`);
      expect(((rule.Properties?.Targets ?? []) as Array<{ Arn: string }>)[0]?.Arn, `${region} ${id}`).toBe(primaryBus);
    }
  });
});

describe('GuardDuty EKS Runtime Monitoring with the managed agent, and Inspector for ECR and EC2', () => {
  it.each(stacks.securityServices.map((s) => [s.region, s] as const))('%s', (_region, stack) => {
    const [, detector] = resourcesOfType(stack.template, 'AWS::GuardDuty::Detector')[0] as [string, CfnResource];
    expect(detector.Properties?.Features).toContainEqual({
      Name: 'EKS_RUNTIME_MONITORING',
      Status: 'ENABLED',
      AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
    });
    const call = (type: string) => {
      const [, resource] = resourcesOfType(stack.template, type)[0] as [string, CfnResource];
      return JSON.parse(resolveIntrinsics(resource.Properties?.Create, stack) as string);
    };
    expect(call('Custom::InspectorEnable')).toMatchObject({
      service: 'Inspector2',
      action: 'Enable',
      parameters: { accountIds: [accounts.security.id], resourceTypes: ['ECR', 'EC2'] },
    });
    expect(call('Custom::InspectorOrganizationAutoEnable')).toMatchObject({
      parameters: { autoEnable: { ecr: true, ec2: true } },
    });
  });

  it('Inspector is delegated to the security account in every region (management account)', () => {
    for (const stack of stacks.delegatedAdmin) {
      const [, resource] = resourcesOfType(stack.template, 'Custom::InspectorDelegatedAdmin')[0] as [
        string,
        CfnResource,
      ];
      expect(JSON.parse(resolveIntrinsics(resource.Properties?.Create, stack) as string)).toMatchObject({
        action: 'EnableDelegatedAdminAccount',
        parameters: { delegatedAdminAccountId: accounts.security.id },
      });
    }
  });
});

describe('cost anomalies reach the same person', () => {
  it('the cost alert topic has the findings address subscribed', () => {
    const subscriptions = resourcesOfType(stacks.costGuardrails.template, 'AWS::SNS::Subscription').map(
      ([, s]) => s.Properties,
    );
    expect(subscriptions).toContainEqual(
      expect.objectContaining({ Protocol: 'email', Endpoint: foundations.securityFindings.alertEmail }),
    );
  });
});
