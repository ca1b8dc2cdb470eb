/**
 * The table of usage rules (src/usage-rules/): every rule prices in the unit its price is billed in, every usage field
 * of config is priced by a rule or said to be used elsewhere, and the engine reports what it cannot apply.
 */
import { describe, expect, it } from 'vitest';
import { type AccountContext, accountContexts } from '../src/accounts.ts';
import type { CfnResource } from '../src/synth.ts';
import { evaluateUsageRules, USAGE_RULES, UsageRuleError, usageLines } from '../src/usage-lines.ts';
import { networkRules } from '../src/usage-rules/network.ts';
import type { AccountResource, UsageField } from '../src/usage-rules/rule.ts';
import { config, prices, ZERO_USAGE } from './helpers.ts';

const staging = accountContexts(config).find((a) => a.label === 'staging') as AccountContext;
const resource = (Type: string, Properties: Record<string, unknown> = {}): AccountResource => ({
  stack: 'test-stack',
  region: 'us-east-1',
  logicalId: Type.replaceAll(':', ''),
  resource: { Type, Properties } as CfnResource,
});
/** One resource of every type a rule looks for. */
const EVERY_RESOURCE = [
  resource('AWS::EC2::NatGateway'),
  resource('AWS::EC2::Instance', { SourceDestCheck: false }),
  resource('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }),
  resource('AWS::EKS::Cluster'),
  resource('AWS::CloudFront::Distribution'),
  resource('AWS::CloudFront::Function'),
  resource('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' }),
  resource('AWS::Logs::LogGroup'),
  resource('AWS::APS::Workspace'),
  resource('AWS::Grafana::Workspace'),
  resource('AWS::RDS::DBInstance', { AllocatedStorage: '20' }),
  resource('AWS::S3::Bucket'),
  resource('AWS::ECR::Repository'),
  resource('AWS::Route53::HostedZone'),
  resource('AWS::SQS::Queue'),
  resource('AWS::KMS::Key'),
  resource('AWS::SecretsManager::Secret'),
];
/** Usage with every amount non-zero (shares below 1). */
const SOME_USAGE = {
  ...ZERO_USAGE,
  ...Object.fromEntries(
    Object.entries(ZERO_USAGE)
      .filter(([, v]) => typeof v === 'number')
      .map(([k]) => [k, 100]),
  ),
  apiRequestShare: 0.5,
  apiWriteShare: 0.1,
  karpenter: { instanceType: 'm7g.large', baselineNodeHours: 1000, spotShare: 0.25 },
  alb: { count: 1, averageLcu: 2 },
};
/** Usage fields no rule prices, and where they are used instead. */
const PRICED_ELSEWHERE: Readonly<Record<string, string>> = {
  apiRequestShare: 'a share of requestsMillions (regional WAF, X-Ray traces)',
  apiWriteShare: 'the capacity model',
  monthlyActiveUsers: 'the Cognito user pool pricer (pricers/identity.ts)',
  'karpenter.spotShare': 'splits the Karpenter baseline hours',
  'alb.averageLcu': 'multiplies the ALB hours',
};

describe('usage rules table', () => {
  it('each rule has its own id', () => {
    const ids = USAGE_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every rule gives one line where the account holds everything, in the unit its price is billed in', () => {
    const { lines, unapplied } = usageLines({ ...staging, usage: SOME_USAGE }, EVERY_RESOURCE, prices);
    expect(unapplied).toEqual([]);
    expect(lines).toHaveLength(USAGE_RULES.length);
    for (const [index, rule] of USAGE_RULES.entries()) {
      expect(lines[index]?.unit, rule.id).toBe(rule.unit);
      expect(lines[index]?.quantity, rule.id).toBeGreaterThan(0);
    }
  });

  it('NAT data: billed per GB through a gateway, a no-charge line through a NAT instance', () => {
    const usage = { ...ZERO_USAGE, natGB: 50 };
    const through = (nat: AccountResource) => usageLines({ ...staging, usage }, [nat], prices);
    const gateway = through(resource('AWS::EC2::NatGateway'));
    expect(gateway.lines.map((l) => [l.item, l.quantity, l.monthlyUsd])).toEqual([
      ['NAT data processed', 50, 50 * 0.045],
    ]);
    const instance = through(resource('AWS::EC2::Instance', { SourceDestCheck: false }));
    expect(instance.lines.map((l) => [l.item, l.quantity, l.monthlyUsd])).toEqual([
      ['NAT instance data forwarded (no per-GB charge)', 50, 0],
    ]);
    expect(instance.unapplied).toEqual([]);
    // An instance that forwards nothing for others is no NAT: the assumption has nowhere to go.
    expect(through(resource('AWS::EC2::Instance', { SourceDestCheck: true })).unapplied).toEqual(['natGB']);
  });

  it('a rule whose unit is not its price unit fails, naming the rule and both units', () => {
    const nat = networkRules.find((rule) => rule.id === 'nat-data');
    if (!nat) throw new Error('no nat-data rule');
    const wrong = [{ ...nat, unit: 'GB-month' }];
    const run = () => evaluateUsageRules(wrong, { ...staging, usage: SOME_USAGE }, EVERY_RESOURCE, prices);
    expect(run).toThrow(UsageRuleError);
    expect(run).toThrow(
      'usage rule nat-data: price vpc.nat-gateway.gb is billed per "GB processed", the rule counts "GB-month"',
    );
  });

  it('every numeric usage field is priced by a rule or said to be used elsewhere', () => {
    const numeric = Object.entries(ZERO_USAGE).flatMap(([key, value]) => {
      if (typeof value === 'number') return [key];
      if (key === 'accountServices') return []; // priced by account-services.ts in every account
      return Object.entries(value as object)
        .filter(([, v]) => typeof v === 'number')
        .map(([sub]) => `${key}.${sub}`);
    });
    const ruled = new Set<string>(USAGE_RULES.flatMap((rule) => rule.fields as readonly UsageField[]));
    const missing = numeric.filter((field) => !ruled.has(field) && !(field in PRICED_ELSEWHERE));
    expect(missing).toEqual([]);
    expect(Object.keys(PRICED_ELSEWHERE).filter((field) => ruled.has(field))).toEqual([]);
  });

  it('a rule that applies but lacks its outside input reports the input, or the fields asked for', () => {
    const noCopies = {
      ...staging,
      usage: SOME_USAGE,
      env: staging.env && {
        ...staging.env,
        database: {
          ...staging.env.database,
          crossRegionCopy: { ...staging.env.database.crossRegionCopy, enabled: false },
        },
      },
    };
    const { lines, unapplied } = usageLines(noCopies, EVERY_RESOURCE, prices);
    expect(lines.some((line) => line.type === 'DR copies')).toBe(false);
    expect(unapplied).toEqual(['drCopyGB', 'drSnapshotGB']);
    const noRender = { ...staging, usage: SOME_USAGE, env: undefined };
    expect(usageLines(noRender, EVERY_RESOURCE, prices).unapplied).toContain(
      'karpenter root volumes (no EC2NodeClass rendered)',
    );
  });
});
