/**
 * One test per resource type with a fixed price. Each expectation is computed by hand from
 * prices/aws-prices.yaml (us-east-1, 730 h per month) and written out as arithmetic, so a reader can redo it.
 */
import { describe, expect, it } from 'vitest';
import { FOUNDATIONS_ACCOUNT, linesOf, priceStacks, stackOf, total } from './helpers.ts';

const H = 730;

function priceOne(type: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const result = priceStacks(stackOf({ R: { Type: type, Properties: properties }, ...(extra as object) } as never));
  return { result, lines: linesOf(result, 'R', type) };
}

describe('EKS', () => {
  it('AWS::EKS::Cluster: control plane 0.10 $/h', () => {
    expect(total(priceOne('AWS::EKS::Cluster', { Version: '1.34' }).lines)).toBeCloseTo(0.1 * H, 6);
  });

  it('AWS::EKS::Nodegroup: desired × instance hours + desired × DiskSize GB gp3', () => {
    const { lines } = priceOne('AWS::EKS::Nodegroup', {
      InstanceTypes: ['t4g.medium'],
      ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 3 },
      DiskSize: 30,
    });
    expect(total(lines)).toBeCloseTo(2 * H * 0.0336 + 2 * 30 * 0.08, 6);
  });

  it('AWS::EKS::Nodegroup: disk size from its launch template, spot capacity at the spot price', () => {
    const result = priceStacks(
      stackOf({
        LT: {
          Type: 'AWS::EC2::LaunchTemplate',
          Properties: { LaunchTemplateData: { BlockDeviceMappings: [{ Ebs: { VolumeSize: 50, VolumeType: 'gp3' } }] } },
        },
        R: {
          Type: 'AWS::EKS::Nodegroup',
          Properties: {
            InstanceTypes: ['m7g.large'],
            CapacityType: 'SPOT',
            ScalingConfig: { DesiredSize: 3 },
            LaunchTemplate: { Id: { Ref: 'LT' } },
          },
        },
      }),
    );
    expect(total(linesOf(result, 'R'))).toBeCloseTo(3 * H * 0.035 + 3 * 50 * 0.08, 6);
  });

  it('AWS::EKS::Nodegroup: the documented default disk (20 GiB) when nothing sets it', () => {
    const { lines } = priceOne('AWS::EKS::Nodegroup', {
      InstanceTypes: ['m7g.large'],
      ScalingConfig: { DesiredSize: 1 },
    });
    expect(total(lines)).toBeCloseTo(H * 0.0816 + 20 * 0.08, 6);
  });
});

describe('network', () => {
  it('AWS::EC2::NatGateway: 0.045 $/h', () => {
    expect(total(priceOne('AWS::EC2::NatGateway', {}).lines)).toBeCloseTo(0.045 * H, 6);
  });

  it('AWS::EC2::Instance (NAT instance): on-demand instance hours + its gp3 root volume, nothing per GB', () => {
    const { lines } = priceOne('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      SourceDestCheck: false,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3', Encrypted: true } }],
    });
    expect(lines.map((l) => l.item)).toEqual(['NAT instance t4g.nano hours', 'NAT instance 8 GiB gp3 root volume']);
    expect(total(lines)).toBeCloseTo(0.0042 * H + 8 * 0.08, 6);
  });

  it('AWS::EC2::Instance without a literal root volume size or with another volume type is unpriced, not guessed', () => {
    const noSize = priceOne('AWS::EC2::Instance', { InstanceType: 't4g.nano', SourceDestCheck: false });
    expect(noSize.result.coverage.unpriced).toContainEqual(expect.objectContaining({ type: 'AWS::EC2::Instance' }));
    const io2 = priceOne('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      BlockDeviceMappings: [{ Ebs: { VolumeSize: 8, VolumeType: 'io2' } }],
    });
    expect(io2.result.coverage.unpriced).toContainEqual(expect.objectContaining({ type: 'AWS::EC2::Instance' }));
  });

  it('AWS::EC2::EIP: public IPv4 0.005 $/h', () => {
    expect(total(priceOne('AWS::EC2::EIP', { Domain: 'vpc' }).lines)).toBeCloseTo(0.005 * H, 6);
  });

  it('AWS::EC2::VPCEndpoint (Interface): 0.01 $ per AZ-hour, one AZ per subnet', () => {
    const subnets = [{ Ref: 'A' }, { Ref: 'B' }, { Ref: 'C' }];
    const { lines } = priceOne('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: subnets });
    expect(total(lines)).toBeCloseTo(3 * 0.01 * H, 6);
    const one = priceOne('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: [{ Ref: 'A' }] });
    expect(total(one.lines)).toBeCloseTo(0.01 * H, 6);
  });

  it('AWS::EC2::VPCEndpoint (Gateway): an explicit no-charge line, counted as priced', () => {
    const { lines, result } = priceOne('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.monthlyUsd).toBe(0);
    expect(result.coverage.priced).toContainEqual({ type: 'AWS::EC2::VPCEndpoint', count: 1 });
  });
});

describe('RDS', () => {
  it('AWS::RDS::DBInstance single-AZ: class hours + gp3 GB, Performance Insights 7 days free', () => {
    const { lines } = priceOne('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.micro',
      MultiAZ: false,
      AllocatedStorage: '20',
      StorageType: 'gp3',
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 7,
    });
    expect(total(lines)).toBeCloseTo(0.016 * H + 20 * 0.115, 6);
  });

  it('AWS::RDS::DBInstance Multi-AZ: Multi-AZ class and storage prices, paid Performance Insights per vCPU', () => {
    const { lines } = priceOne('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      DBInstanceClass: 'db.m7g.large',
      MultiAZ: 'true',
      AllocatedStorage: 100,
      StorageType: 'gp3',
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 31,
    });
    expect(total(lines)).toBeCloseTo(0.336 * H + 100 * 0.23 + 2 * 0.0125 * H, 6);
  });

  it('AWS::RDS::DBProxy: vCPUs of the instances behind it, 0.015 $ per vCPU-hour', () => {
    const result = priceStacks(
      stackOf({
        Db: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceClass: 'db.m7g.xlarge', AllocatedStorage: 20 } },
        R: { Type: 'AWS::RDS::DBProxy', Properties: {} },
      }),
    );
    expect(total(linesOf(result, 'R'))).toBeCloseTo(4 * 0.015 * H, 6);
  });
});

describe('edge, security and alarms', () => {
  it('AWS::WAFv2::WebACL: 5 $ + 1 $ per rule (a managed rule group is one rule)', () => {
    const rules = [1, 2, 3, 4, 5].map((n) => ({ Name: `r${n}` }));
    expect(total(priceOne('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', Rules: rules }).lines)).toBeCloseTo(
      5 + 5 * 1,
      6,
    );
  });

  it('AWS::Route53::HostedZone: 0.50 $ per zone', () => {
    expect(total(priceOne('AWS::Route53::HostedZone', {}).lines)).toBeCloseTo(0.5, 6);
  });

  it('AWS::KMS::Key: 1 $ per key', () => {
    expect(total(priceOne('AWS::KMS::Key', {}).lines)).toBeCloseTo(1, 6);
  });

  it('AWS::SecretsManager::Secret: 0.40 $ per secret', () => {
    expect(total(priceOne('AWS::SecretsManager::Secret', {}).lines)).toBeCloseTo(0.4, 6);
  });

  it('AWS::CloudWatch::Alarm: 0.10 $ per metric (a metric-math alarm pays each metric)', () => {
    expect(total(priceOne('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization' }).lines)).toBeCloseTo(0.1, 6);
    const math = priceOne('AWS::CloudWatch::Alarm', {
      Metrics: [
        { Id: 'a', MetricStat: {} },
        { Id: 'b', MetricStat: {} },
        { Id: 'e', Expression: 'a/b' },
      ],
    });
    expect(total(math.lines)).toBeCloseTo(2 * 0.1, 6);
  });

  it('AWS::CloudWatch::CompositeAlarm: 0.50 $', () => {
    expect(total(priceOne('AWS::CloudWatch::CompositeAlarm', {}).lines)).toBeCloseTo(0.5, 6);
  });

  it('AWS::Budgets::Budget: the first 2 of the payer are free, then 0.02 $ per day', () => {
    const budget = { Type: 'AWS::Budgets::Budget', Properties: {} };
    const result = priceStacks(stackOf({ A: budget, B: budget, C: budget }, FOUNDATIONS_ACCOUNT));
    const lines = result.accounts.flatMap((a) => a.lines).filter((l) => l.type === 'AWS::Budgets::Budget');
    expect(lines).toHaveLength(3);
    expect(total(lines)).toBeCloseTo(0.02 * (H / 24), 6);
  });
});

describe('RDS read replica', () => {
  it("a replica is an instance of its own class with its source's storage size", () => {
    const result = priceStacks(
      stackOf({
        Primary: {
          Type: 'AWS::RDS::DBInstance',
          Properties: { DBInstanceClass: 'db.t4g.medium', AllocatedStorage: '100', StorageType: 'gp3' },
        },
        R: {
          Type: 'AWS::RDS::DBInstance',
          Properties: { DBInstanceClass: 'db.t4g.small', SourceDBInstanceIdentifier: { Ref: 'Primary' } },
        },
      }),
    );
    expect(total(linesOf(result, 'R'))).toBeCloseTo(0.032 * 730 + 100 * 0.115, 6);
  });
});
