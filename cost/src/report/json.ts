/** The JSON report: the whole estimate, amounts rounded to the cent, plus totals by stack. */
import type { Estimate } from '../model.ts';
import { cents } from './format.ts';
import { byStack } from './markdown.ts';

export function jsonReport(estimate: Estimate): string {
  const report = {
    pricesAsOf: estimate.pricesAsOf,
    hoursPerMonth: estimate.hoursPerMonth,
    totalUsd: cents(estimate.totalUsd),
    accounts: estimate.accounts.map((account) => ({
      account: account.account,
      accountId: account.accountId,
      fixedUsd: cents(account.fixedUsd),
      usageUsd: cents(account.usageUsd),
      totalUsd: cents(account.totalUsd),
      byStack: byStack(account.lines).map((s) => ({ ...s, usd: cents(s.usd) })),
      unappliedUsage: account.unappliedUsage,
      lines: account.lines.map((line) => ({ ...line, monthlyUsd: cents(line.monthlyUsd) })),
    })),
    coverage: estimate.coverage,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
