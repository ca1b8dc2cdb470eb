/**
 * Savings Plans and reservations over the steady baseline (requirement COST-3): what a 1-year Compute Savings Plan over the
 * on-demand EC2 that always runs, and a 1-year RDS reservation of each database instance, would make the month
 * cost, and the month from which each pays off. An answer for a person to act on; nothing here buys anything.
 */
import type { CostLine } from './lines.ts';
import type { Estimate } from './model.ts';
import type { PriceTable } from './price-table.ts';

export interface CommitmentRow {
  account: string;
  onDemandUsd: number;
  /** On-demand EC2 that runs all month (system nodes, the on-demand part of the Karpenter baseline). */
  computeBaselineUsd: number;
  computeSavingUsd: number;
  /** Database instance hours as billed (a stopped instance bills none). */
  databaseUsd: number;
  /** What the reservation saves; negative when the instance runs too few hours for it (then it is not advised). */
  reservationSavingUsd: number;
  withCommitmentsUsd: number;
}

export interface Commitments {
  rows: CommitmentRow[];
  computeDiscount: number;
  reservationDiscount: number;
  /** A 1-year commitment costs (1 − discount) × 12 months of on-demand: it pays off from this month on. */
  computeBreakEvenMonth: number;
  reservationBreakEvenMonth: number;
}

const isSteadyCompute = (line: CostLine) => line.priceId?.startsWith('ec2.on-demand.') === true;
const isDatabaseInstance = (line: CostLine) => line.priceId?.startsWith('rds.postgres.') === true;

export function commitments(result: Estimate, prices: PriceTable): Commitments {
  const computeDiscount = prices.allowance('savings-plans.compute.1y-no-upfront.discount');
  const reservationDiscount = prices.allowance('rds.reserved.1y-all-upfront.discount');
  const rows = result.accounts
    .filter((account) => account.lines.some((l) => isSteadyCompute(l) || isDatabaseInstance(l)))
    .map((account) => {
      const computeBaselineUsd = sumOf(account.lines.filter(isSteadyCompute));
      const databaseLines = account.lines.filter(isDatabaseInstance);
      const databaseUsd = sumOf(databaseLines);
      // A reservation bills every hour of the year, whether the instance runs or not.
      const reservedUsd = databaseLines.reduce(
        (total, line) => total + line.unitUsd * prices.hoursPerMonth * (1 - reservationDiscount),
        0,
      );
      const computeSavingUsd = computeBaselineUsd * computeDiscount;
      const reservationSavingUsd = databaseUsd - reservedUsd;
      return {
        account: account.account,
        onDemandUsd: account.totalUsd,
        computeBaselineUsd,
        computeSavingUsd,
        databaseUsd,
        reservationSavingUsd,
        withCommitmentsUsd: account.totalUsd - computeSavingUsd - Math.max(0, reservationSavingUsd),
      };
    });
  return {
    rows,
    computeDiscount,
    reservationDiscount,
    computeBreakEvenMonth: Math.ceil(12 * (1 - computeDiscount)),
    reservationBreakEvenMonth: Math.ceil(12 * (1 - reservationDiscount)),
  };
}

function sumOf(lines: readonly CostLine[]): number {
  return lines.reduce((total, line) => total + line.monthlyUsd, 0);
}
