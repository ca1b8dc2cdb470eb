/**
 * Cross-file config mistakes that zod cannot see fail with one line naming the field (bin/app.ts prints it and exits 1).
 */
import { ConfigError, type PlatformConfig } from '@innovate/config';
import { describe, expect, it } from 'vitest';
import { accountDirectory } from '../../lib/foundations/account-directory.ts';
import { monthlyBudgetUsd } from '../../lib/foundations/budget-amounts.ts';
import { config } from './synthesized.ts';

/** The real config with the foundations block changed. */
function withFoundations(change: (f: PlatformConfig['organization']['foundations']) => void): PlatformConfig {
  const copy = structuredClone(config.organization);
  change(copy.foundations);
  return { ...config, organization: copy };
}

describe('foundations config errors name the field', () => {
  it('a member account without an OU', () => {
    const broken = withFoundations((f) => {
      delete f.accountOus.prod;
    });
    expect(() => accountDirectory(broken)).toThrow(ConfigError);
    expect(() => accountDirectory(broken)).toThrow(/foundations\.accountOus\.prod: missing/);
  });

  it('an assignment to an account that is not configured', () => {
    const broken = withFoundations((f) => {
      f.identityCenter.assignments[0]?.accounts.push('analytics');
    });
    expect(() => accountDirectory(broken)).toThrow(
      /identityCenter\.assignments\.0\.accounts\.\d+: account "analytics"/,
    );
  });

  it('an account the cost model does not estimate and config gives no budget', () => {
    const broken = withFoundations((f) => {
      f.optionalAccounts.network = { id: '100000000021', email: 'aws+network@innovate.example.com' };
      delete f.budgets.monthlyUsd.network;
    });
    expect(() => monthlyBudgetUsd(broken, 'network')).toThrow(ConfigError);
    expect(() => monthlyBudgetUsd(broken, 'network')).toThrow(/foundations\.budgets\.monthlyUsd\.network is missing/);
  });

  it('the committed config has an OU and a budget for every account', () => {
    const accounts = accountDirectory(config);
    for (const account of accounts.all) expect(monthlyBudgetUsd(config, account.key)).toBeGreaterThan(0);
    for (const account of accounts.members) expect(account.ou).toBeDefined();
  });
});
