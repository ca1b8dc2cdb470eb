/**
 * THE seam for budget amounts (issue 4 → issue 6).
 *
 * Today the monthly budget of each account is read from config (`foundations.budgets.monthlyUsd`). The cost-model
 * issue replaces the body of this one function so that it derives each amount from the committed cost estimate plus
 * `costModel.budgetMarginPercent`; nothing else in the foundations reads budget amounts.
 */
import { type AccountKey, ConfigError, type PlatformConfig } from '@innovate/config';

/** Monthly budget in USD for one account of the organization. */
export function monthlyBudgetUsd(config: PlatformConfig, account: AccountKey): number {
  const amount = config.organization.foundations.budgets.monthlyUsd[account];
  if (amount === undefined) {
    throw new ConfigError(
      `organization.yaml: foundations.budgets.monthlyUsd.${account}: missing (every account needs a budget)`,
    );
  }
  return amount;
}
