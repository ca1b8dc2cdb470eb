/**
 * THE seam for budget amounts (the foundations read what the cost model computes).
 *
 * Each account's monthly budget is the cost model's committed estimate (`cost/estimates.json`, generated from the
 * synthesized templates by `make cost-estimates` and checked against a fresh computation by `make test-cost`) plus
 * `costModel.budgetMarginPercent`, rounded up to whole dollars — so a budget alarm follows the architecture
 * (docs/cost.md, ADR 0082). An account the model does not estimate (the optional network/analytics accounts) keeps
 * its hand-set amount from `foundations.budgets.monthlyUsd`. Nothing else in the foundations reads budget amounts.
 */
import { readFileSync } from 'node:fs';
import { type AccountKey, ConfigError, type PlatformConfig } from '@innovate/config';

const ESTIMATES_FILE = new URL('../../../cost/estimates.json', import.meta.url);

interface CostEstimates {
  accounts: Partial<Record<string, { accountId: string; monthlyEstimateUsd: number }>>;
}

/** Monthly budget in USD for one account of the organization. */
export function monthlyBudgetUsd(config: PlatformConfig, account: AccountKey): number {
  const estimate = (JSON.parse(readFileSync(ESTIMATES_FILE, 'utf8')) as CostEstimates).accounts[account];
  if (estimate) {
    // In whole cents, so that e.g. 100 × 1.2 does not round up to 121 through floating-point noise.
    const cents = Math.round(estimate.monthlyEstimateUsd * 100);
    return Math.ceil((cents * (100 + config.organization.costModel.budgetMarginPercent)) / 10_000);
  }
  const amount = config.organization.foundations.budgets.monthlyUsd[account];
  if (amount === undefined) {
    throw new ConfigError(
      `cost/estimates.json has no estimate for ${account} and organization.yaml: ` +
        `foundations.budgets.monthlyUsd.${account} is missing (every account needs a budget)`,
    );
  }
  return amount;
}
