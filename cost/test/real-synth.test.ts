/**
 * The model over the real synthesized app (`make synth` → infra/cdk.out; `make test-cost` re-synthesizes when it is
 * stale). Every resource of every template is accounted for exactly once, and every account gets an estimate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESTIMATES_FILE, type EstimatesFile } from '../src/estimates.ts';
import { readSynth } from '../src/synth.ts';
import { config, priceStacks } from './helpers.ts';

const SYNTH = process.env.COST_SYNTH ?? join(import.meta.dirname, '..', '..', 'infra', 'cdk.out');

describe(`the synthesized app (${SYNTH})`, () => {
  it('exists (run `make synth`)', () => {
    expect(existsSync(join(SYNTH, 'manifest.json'))).toBe(true);
  });

  const stacks = existsSync(join(SYNTH, 'manifest.json')) ? readSynth(SYNTH) : [];
  const result = priceStacks(stacks, config);

  it('accounts for every resource exactly once: priced, usage-billed, declared free or listed unpriced', () => {
    const resources = stacks.flatMap((stack) => Object.values(stack.template.Resources ?? {}));
    const { priced, usageBilled, noCharge, unpriced } = result.coverage;
    const counted = [...priced, ...usageBilled, ...noCharge, ...unpriced].reduce((sum, row) => sum + row.count, 0);
    expect(resources.length).toBeGreaterThan(0);
    expect(counted).toBe(resources.length);
  });

  it('names resource lines by construct path (aws:cdk:path without the stack), not by logical id', () => {
    const nat = result.accounts
      .flatMap((account) => account.lines)
      .find((line) => line.stack === 'innovate-prod-network' && line.item === 'NAT gateway hours');
    expect(nat?.path).toMatch(/^Network\/Vpc\/publicSubnet\d\/NATGateway$/);
  });

  it('estimates every account of the organization', () => {
    const expected = [...config.environments.map((env) => env.name), ...Object.keys(config.organization.accounts)];
    expect(result.accounts.map((account) => account.account)).toEqual(expected);
    for (const account of result.accounts) expect(account.totalUsd, account.account).toBeGreaterThan(0);
  });

  it('prices the workload stacks of every environment in its own account', () => {
    for (const env of config.environments) {
      const account = result.accounts.find((a) => a.account === env.name);
      expect(
        account?.lines.some((line) => line.stack.startsWith(env.names.prefix)),
        env.name,
      ).toBe(true);
    }
  });
});

describe('the budgets of the foundations follow the committed estimate (ADR 0082)', () => {
  const stacks = existsSync(join(SYNTH, 'manifest.json')) ? readSynth(SYNTH) : [];
  const estimates = JSON.parse(readFileSync(ESTIMATES_FILE, 'utf8')) as EstimatesFile;
  const margin = config.organization.costModel.budgetMarginPercent;
  const budgets = stacks.flatMap((stack) =>
    Object.values(stack.template.Resources ?? {}).filter((r) => r.Type === 'AWS::Budgets::Budget'),
  );

  it('every estimated account has a budget of estimate × (1 + margin), whole dollars rounded up', () => {
    const byAccount = new Map<string, number>();
    for (const budget of budgets) {
      const spec = budget.Properties?.Budget as {
        BudgetLimit: { Amount: number };
        FilterExpression?: { Dimensions?: { Key: string; Values: string[] } };
      };
      const dimension = spec.FilterExpression?.Dimensions;
      if (dimension?.Key === 'LINKED_ACCOUNT' && dimension.Values.length === 1) {
        byAccount.set(dimension.Values[0] as string, spec.BudgetLimit.Amount);
      }
    }
    for (const [label, estimate] of Object.entries(estimates.accounts)) {
      const expected = Math.ceil((Math.round(estimate.monthlyEstimateUsd * 100) * (100 + margin)) / 10_000);
      expect(byAccount.get(estimate.accountId), label).toBe(expected);
    }
  });
});
