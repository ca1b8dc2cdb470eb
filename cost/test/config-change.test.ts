/**
 * A change moves the total by exactly what the table says. The two fixtures differ only in prod's NAT layout
 * (per AZ → one shared), as `network.nat.count: 3 → 1` makes the CDK app emit.
 */
import { describe, expect, it } from 'vitest';
import { compare, comparisonMarkdown } from '../src/compare.ts';
import { estimate } from '../src/model.ts';
import { endpointsInOneAz, naiveBuild, naiveVsChosen } from '../src/scenarios.ts';
import { config, fixture, priceStacks, prices } from './helpers.ts';

const H = 730;
const NAT_AND_IP = (0.045 + 0.005) * H; // one NAT gateway's hours + its Elastic IP's hours

describe('NAT per AZ → one', () => {
  const before = priceStacks(fixture('base'));
  const after = priceStacks(fixture('prod-one-nat'));

  it('removes exactly two NAT gateways and two public IPv4 addresses from the total', () => {
    expect(before.totalUsd - after.totalUsd).toBeCloseTo(2 * NAT_AND_IP, 6);
    const prod = (e: typeof before) => e.accounts.find((a) => a.account === 'prod')?.totalUsd ?? 0;
    expect(prod(before) - prod(after)).toBeCloseTo(2 * NAT_AND_IP, 6);
  });

  it('comparison mode shows the change per line, as a pull-request comment would', () => {
    const comparison = compare(before, after);
    expect(comparison.deltaUsd).toBeCloseTo(-2 * NAT_AND_IP, 6);
    expect(comparison.lines.map((l) => [l.resource, Number(l.deltaUsd.toFixed(2))]).sort()).toEqual(
      [
        ['PublicSubnet2EIP (AWS::EC2::EIP)', -3.65],
        ['PublicSubnet2NATGateway (AWS::EC2::NatGateway)', -32.85],
        ['PublicSubnet3EIP (AWS::EC2::EIP)', -3.65],
        ['PublicSubnet3NATGateway (AWS::EC2::NatGateway)', -32.85],
      ].sort(),
    );
    const text = comparisonMarkdown(comparison);
    expect(text).toContain('### Cost change: -$73.00 per month');
    expect(text).toContain('| prod | $');
  });

  it('comparing an output with itself shows no change', () => {
    const same = compare(before, priceStacks(fixture('base')));
    expect(same.lines).toEqual([]);
    expect(comparisonMarkdown(same)).toContain('No line changed.');
  });
});

describe('naive build (every environment like prod)', () => {
  it('turns dev NAT per AZ, endpoints into 3 AZs and its database Multi-AZ; prod is unchanged', () => {
    const stacks = fixture('base');
    const naive = naiveBuild(stacks, config);
    const chosen = estimate(stacks, config, prices);
    const built = estimate(naive.stacks, naive.config, prices);
    const prod = (e: typeof chosen) => e.accounts.find((a) => a.account === 'prod')?.totalUsd;
    expect(prod(built)).toBeCloseTo(prod(chosen) ?? 0, 6);
    const devNetwork = naive.stacks.find((s) => s.name === 'innovate-dev-network');
    const nats = Object.values(devNetwork?.template.Resources ?? {}).filter((r) => r.Type === 'AWS::EC2::NatGateway');
    expect(nats).toHaveLength(config.environment('prod').network.nat.count);
    const db = naive.stacks.find((s) => s.name === 'innovate-dev-data')?.template.Resources?.Database;
    expect(db?.Properties?.MultiAZ).toBe(true);
    // the input is not modified
    expect(stacks.find((s) => s.name === 'innovate-dev-data')?.template.Resources?.Database?.Properties?.MultiAZ).toBe(
      false,
    );
  });
});

describe('naive vs chosen on the fixtures', () => {
  it('the levers price independently: their savings alone add up to the whole saving', () => {
    const result = naiveVsChosen(fixture('base'), config, prices);
    const whole = result.naive.totalUsd - result.chosen.totalUsd;
    expect(result.byLever.reduce((t, row) => t + row.savingUsd, 0)).toBeCloseTo(whole, 6);
    // dev's one NAT becomes three: two more NAT gateways and their public IPv4 addresses
    expect(result.byLever.find((row) => row.lever === 'natPerAz')?.savingUsd).toBeCloseTo(2 * NAT_AND_IP, 6);
    // dev's db.t4g.micro and its 20 GB become Multi-AZ
    const multiAz = (0.032 - 0.016) * H + 20 * (0.23 - 0.115);
    expect(result.byLever.find((row) => row.lever === 'multiAzDatabase')?.savingUsd).toBeCloseTo(multiAz, 6);
  });
});

describe('interface endpoints in one AZ (a lever not pulled)', () => {
  it('saves two AZ-hours per interface endpoint: dev has two in the fixture', () => {
    const [dev] = endpointsInOneAz(fixture('base'), config, prices, ['dev']);
    expect(dev?.savingUsd).toBeCloseTo(2 * 2 * 0.01 * H, 6);
  });
});
