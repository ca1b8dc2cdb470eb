/**
 * Usage-driven lines: each priced from the usage set in the test (not from the committed YAML) and the table.
 * A line appears only when the account has the resource that incurs it.
 */
import { describe, expect, it } from 'vitest';
import { karpenterRootVolume } from '../src/rendered-nodes.ts';
import type { CfnResource } from '../src/synth.ts';
import {
  config,
  configWithUsage,
  DEV_ACCOUNT,
  priceStacks,
  STAGING_ACCOUNT,
  stackOf,
  total,
  ZERO_USAGE,
} from './helpers.ts';

const H = 730;
const r = (Type: string, Properties: Record<string, unknown> = {}): CfnResource => ({ Type, Properties });

function usageLines(
  resources: Record<string, CfnResource>,
  usage: Parameters<typeof configWithUsage>[0],
  account = DEV_ACCOUNT,
) {
  const result = priceStacks(stackOf(resources, account), configWithUsage(usage));
  return result.accounts
    .filter((a) => a.accountId === account)
    .flatMap((a) => a.lines)
    .filter((line) => line.stack === '(usage)' || line.stack === '(account services)');
}

const byItem = (lines: ReturnType<typeof usageLines>, fragment: string) =>
  total(lines.filter((l) => l.item.includes(fragment)));

describe('usage lines', () => {
  it('NAT data processed: GB × 0.045', () => {
    expect(byItem(usageLines({ N: r('AWS::EC2::NatGateway') }, { natGB: 100 }), 'NAT data')).toBeCloseTo(
      100 * 0.045,
      6,
    );
  });

  it('interface endpoint data: GB × 0.01, only with an interface endpoint', () => {
    const endpoint = r('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: [{ Ref: 'A' }] });
    expect(byItem(usageLines({ E: endpoint }, { endpointGB: 200 }), 'endpoint data')).toBeCloseTo(200 * 0.01, 6);
    const gatewayOnly = r('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    expect(byItem(usageLines({ E: gatewayOnly }, { endpointGB: 200 }), 'endpoint data')).toBe(0);
  });

  it('Karpenter baseline: on-demand and spot hours at their prices; ALB hours and LCU', () => {
    const lines = usageLines(
      { C: r('AWS::EKS::Cluster') },
      {
        karpenter: { instanceType: 'm7g.large', baselineNodeHours: 1000, spotShare: 0.25 },
        alb: { count: 2, averageLcu: 1.5 },
      },
    );
    expect(byItem(lines, 'on-demand')).toBeCloseTo(750 * 0.0816, 6);
    expect(byItem(lines, 'spot')).toBeCloseTo(250 * 0.035, 6);
    // 1000 node-hours = 1000/730 nodes all month, each with the root volume of dev's rendered EC2NodeClass
    const volume = karpenterRootVolume(config.environment('dev').names.renderedManifestsPath);
    expect(volume?.volumeType).toBe('gp3');
    expect(byItem(lines, 'root volumes')).toBeCloseTo((1000 / H) * (volume?.gib ?? Number.NaN) * 0.08, 6);
    expect(byItem(lines, 'ALB hours')).toBeCloseTo(2 * H * 0.0225, 6);
    expect(byItem(lines, 'LCU')).toBeCloseTo(2 * 1.5 * H * 0.008, 6);
  });

  it('CloudFront requests (per 10,000) and data out; WAF requests per million per web ACL (regional: API share)', () => {
    const lines = usageLines(
      {
        D: r('AWS::CloudFront::Distribution'),
        W: r('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', Rules: [] }),
        A: r('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', Rules: [] }),
      },
      { requestsMillions: 10, apiRequestShare: 0.25, cdnGB: 100 },
    );
    expect(byItem(lines, 'CloudFront HTTPS')).toBeCloseTo(1000 * 0.01, 6);
    expect(byItem(lines, 'CloudFront data')).toBeCloseTo(100 * 0.085, 6);
    expect(byItem(lines, 'WAF requests inspected (CloudFront')).toBeCloseTo(10 * 0.6, 6);
    expect(byItem(lines, 'WAF requests inspected (regional')).toBeCloseTo(10 * 0.25 * 0.6, 6);
    const fn = usageLines({ F: r('AWS::CloudFront::Function') }, { requestsMillions: 10 });
    expect(byItem(fn, 'CloudFront Functions')).toBeCloseTo(10 * 0.1, 6);
  });

  it('CloudWatch Logs: ingestion, and a month of volume stored for the retention period', () => {
    const lines = usageLines({ L: r('AWS::Logs::LogGroup') }, { logGB: 10 });
    expect(byItem(lines, 'ingested')).toBeCloseTo(10 * 0.5, 6);
    expect(byItem(lines, 'stored')).toBeCloseTo(((10 * 14) / 30) * 0.03, 6); // dev keeps logs 14 days
  });

  it('AMP samples per 10 million; Grafana editors and viewers', () => {
    const lines = usageLines(
      { P: r('AWS::APS::Workspace'), G: r('AWS::Grafana::Workspace') },
      { metricSamplesMillions: 500, grafanaEditors: 2, grafanaViewers: 3 },
    );
    expect(byItem(lines, 'AMP')).toBeCloseTo(50 * 0.9, 6);
    expect(byItem(lines, 'Grafana editors')).toBeCloseTo(2 * 9, 6);
    expect(byItem(lines, 'Grafana viewers')).toBeCloseTo(3 * 5, 6);
  });

  it("X-Ray traces recorded: API requests × the environment's trace sample ratio, per million, with a cluster", () => {
    const usage = { requestsMillions: 10, apiRequestShare: 0.5 };
    const ratio = config.environment('staging').observability.traceSampleRatio;
    expect(ratio).toBeLessThan(1);
    const lines = usageLines({ C: r('AWS::EKS::Cluster') }, usage, STAGING_ACCOUNT);
    expect(byItem(lines, 'X-Ray traces')).toBeCloseTo(10 * 0.5 * ratio * 5, 6);
    expect(byItem(usageLines({ L: r('AWS::Logs::LogGroup') }, usage, STAGING_ACCOUNT), 'X-Ray')).toBe(0);
  });

  it('RDS backup beyond the allocated storage, and DR copies where config enables them (staging)', () => {
    const db = r('AWS::RDS::DBInstance', { DBInstanceClass: 'db.t4g.medium', AllocatedStorage: '20' });
    const lines = usageLines({ D: db }, { backupGB: 50, drCopyGB: 20, drSnapshotGB: 30 }, STAGING_ACCOUNT);
    expect(byItem(lines, 'backup storage beyond')).toBeCloseTo((50 - 20) * 0.095, 6);
    expect(byItem(lines, 'transfer to the DR')).toBeCloseTo(20 * 0.02, 6);
    const stored = lines.filter((l) => l.item.includes('stored in the DR'));
    expect(stored[0]?.region).toBe('us-west-2');
    expect(total(stored)).toBeCloseTo(30 * 0.095, 6);
    // dev has crossRegionCopy disabled: no DR lines, the assumption is reported as unapplied
    const dev = priceStacks(stackOf({ D: db }), configWithUsage({ drSnapshotGB: 30 }));
    expect(dev.accounts[0]?.lines.some((l) => l.item.includes('DR'))).toBe(false);
    expect(dev.accounts[0]?.unappliedUsage).toContain('drSnapshotGB');
  });

  it('S3, ECR, Route 53 queries, SQS, KMS and Secrets Manager requests', () => {
    const lines = usageLines(
      {
        B: r('AWS::S3::Bucket'),
        E: r('AWS::ECR::Repository'),
        Z: r('AWS::Route53::HostedZone'),
        Q: r('AWS::SQS::Queue'),
        K: r('AWS::KMS::Key'),
        S: r('AWS::SecretsManager::Secret'),
      },
      {
        s3StorageGB: 10,
        ecrStorageGB: 10,
        dnsQueriesMillions: 2,
        sqsRequestsMillions: 1,
        kmsRequestsMillions: 1,
        secretsApiCallsMillions: 0.1,
      },
    );
    expect(byItem(lines, 'S3')).toBeCloseTo(10 * 0.023, 6);
    expect(byItem(lines, 'ECR')).toBeCloseTo(10 * 0.1, 6);
    expect(byItem(lines, 'Route 53')).toBeCloseTo(2 * 0.4, 6);
    expect(byItem(lines, 'SQS')).toBeCloseTo(1 * 0.4, 6);
    expect(byItem(lines, 'KMS')).toBeCloseTo(100 * 0.03, 6);
    expect(byItem(lines, 'Secrets Manager')).toBeCloseTo(10 * 0.05, 6);
  });

  it('per-account services: GuardDuty, Security Hub, Config — in every account, with stacks or not', () => {
    const lines = usageLines(
      { K: r('AWS::KMS::Key') },
      {
        accountServices: {
          guardDutyEventsMillions: 2,
          guardDutyLogGB: 10,
          securityHubChecks: 1000,
          configItems: 1000,
          configRuleEvaluations: 2000,
        },
      },
    );
    expect(byItem(lines, 'GuardDuty CloudTrail')).toBeCloseTo(2 * 4, 6);
    expect(byItem(lines, 'GuardDuty flow')).toBeCloseTo(10 * 1, 6);
    expect(byItem(lines, 'Security Hub')).toBeCloseTo(1000 * 0.001, 6);
    expect(byItem(lines, 'Config items')).toBeCloseTo(1000 * 0.003, 6);
    expect(byItem(lines, 'Config rule')).toBeCloseTo(2000 * 0.001, 6);
    // staging has no stack in this synth and still pays them
    const services = { ...ZERO_USAGE.accountServices, guardDutyEventsMillions: 2 };
    const result = priceStacks(stackOf({ K: r('AWS::KMS::Key') }), configWithUsage({ accountServices: services }));
    expect(result.accounts.find((a) => a.account === 'staging')?.totalUsd).toBeCloseTo(2 * 4, 6);
  });

  it('usage without the resource that incurs it is reported, not priced', () => {
    const result = priceStacks(stackOf({ K: r('AWS::KMS::Key') }), configWithUsage({ natGB: 5, cdnGB: 7 }));
    expect(result.accounts[0]?.unappliedUsage).toEqual(expect.arrayContaining(['natGB', 'cdnGB']));
    expect(result.accounts[0]?.lines.some((l) => l.item.includes('NAT'))).toBe(false);
  });
});
