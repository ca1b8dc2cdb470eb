/**
 * The model over the real CDK app (infra/), not fixtures: a config change goes through the CDK code into
 * templates, and the priced total moves by exactly what the price table says.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedEnvironment } from '@innovate/config';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../infra/lib/app-context.ts';
import { addWorkloadStacks } from '../../infra/lib/workload-app.ts';
import { estimate } from '../src/model.ts';
import { naiveBuild } from '../src/scenarios.ts';
import { readSynth } from '../src/synth.ts';
import { config, priceStacks, prices } from './helpers.ts';

const H = 730;

/** Synthesizes one environment's workload stacks with the real CDK app into a temp cloud assembly. */
function synthesize(environment: ResolvedEnvironment) {
  const outdir = mkdtempSync(join(tmpdir(), 'cost-real-app-'));
  const app = testApp({ outdir });
  addWorkloadStacks(app, config.organization, environment);
  app.synth();
  return readSynth(outdir);
}

describe('the real CDK app', () => {
  const prod = config.environment('prod');

  it('network.nat.count 3 → 1 in prod lowers the total by two NAT gateways and their public IPv4 addresses', () => {
    expect(prod.network.nat).toEqual({ provider: 'gateway', count: 3 });
    const perAz = priceStacks(synthesize(prod), config);
    const shared = priceStacks(
      synthesize({ ...prod, network: { ...prod.network, nat: { provider: 'gateway', count: 1 } } }),
      config,
    );
    expect(perAz.totalUsd - shared.totalUsd).toBeCloseTo(2 * (0.045 + 0.005) * H, 6);
    expect(perAz.coverage.unpriced).toEqual(shared.coverage.unpriced);
  }, 60_000);

  it("dev's NAT instance costs its t4g.nano hours and 8 GiB root volume instead of a gateway's hours and GB (the EIP stays)", () => {
    const dev = config.environment('dev');
    expect(dev.network.nat).toEqual({ provider: 'instance', count: 1, instanceType: 't4g.nano' });
    const instance = priceStacks(synthesize(dev), config);
    const gateway = priceStacks(
      synthesize({ ...dev, network: { ...dev.network, nat: { provider: 'gateway', count: 1 } } }),
      config,
    );
    const gatewayUsd = 0.045 * H + dev.usage.natGB * 0.045;
    const instanceUsd = 0.0042 * H + 8 * 0.08;
    expect(gateway.totalUsd - instance.totalUsd).toBeCloseTo(gatewayUsd - instanceUsd, 6);
    expect(instance.coverage.unpriced).toEqual([]);
    expect(instance.accounts.find((a) => a.account === 'dev')?.unappliedUsage).not.toContain('natGB');
    // The naive build's NAT-instance lever turns it back into the gateway, to the cent.
    const stacks = synthesize(dev);
    const naive = naiveBuild(stacks, config, ['natInstance']);
    const naiveUsd = estimate(naive.stacks, naive.config, prices).totalUsd;
    expect(naiveUsd - instance.totalUsd).toBeCloseTo(gatewayUsd - instanceUsd, 6);
  }, 60_000);
});
