import { loadPlatformConfig } from '@innovate/config';
import { describe, expect, it } from 'vitest';
import { cdkJsonContext } from '../lib/app-context.ts';

const require = (await import('node:module')).createRequire(import.meta.url);
const recommended = require('aws-cdk-lib/recommended-feature-flags.json') as Record<string, unknown>;

describe('cdk.json context', () => {
  const context = cdkJsonContext();

  it('sets every feature flag the installed aws-cdk-lib recommends, to the recommended value', () => {
    for (const [flag, value] of Object.entries(recommended)) {
      expect(context[flag], flag).toEqual(value);
    }
  });

  it('seeds the availability zones of every account and region in the config, so synth never looks them up', () => {
    const config = loadPlatformConfig();
    const accounts = [
      config.organization.accounts.foundations.id,
      config.organization.accounts.security.id,
      ...config.environments.map((env) => env.account.id),
    ];
    const regions = new Set([
      config.organization.primaryRegion,
      config.organization.drRegion,
      ...config.environments.flatMap((env) => [env.region, env.drRegion]),
    ]);
    for (const account of accounts) {
      for (const region of regions) {
        const zones = context[`availability-zones:account=${account}:region=${region}`];
        expect(zones, `${account} ${region}`).toBeInstanceOf(Array);
        expect((zones as string[]).length).toBeGreaterThanOrEqual(3);
        for (const zone of zones as string[]) expect(zone.startsWith(region)).toBe(true);
      }
    }
  });

  it('never disables asset staging for the real synth (only tests do)', () => {
    expect(context['aws:cdk:disable-asset-staging']).toBeUndefined();
  });
});
