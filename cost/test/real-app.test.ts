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
import { readSynth } from '../src/synth.ts';
import { config, priceStacks } from './helpers.ts';

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

  it('network.natGateways 3 → 1 in prod lowers the total by two NAT gateways and their public IPv4 addresses', () => {
    expect(prod.network.natGateways).toBe(3);
    const perAz = priceStacks(synthesize(prod), config);
    const shared = priceStacks(synthesize({ ...prod, network: { ...prod.network, natGateways: 1 } }), config);
    expect(perAz.totalUsd - shared.totalUsd).toBeCloseTo(2 * (0.045 + 0.005) * H, 6);
    expect(perAz.coverage.unpriced).toEqual(shared.coverage.unpriced);
  }, 60_000);
});
