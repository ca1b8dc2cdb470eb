/**
 * What `make cost` prints first, for a person: the per-account table, the biggest levers, what is unpriced, why the
 * costlier choices were made, and a warning when the price table is old. Line items come with --detail.
 */
import type { PlatformConfig } from '@innovate/config';
import type { CapacityPoint } from '../capacity.ts';
import type { Commitments } from '../commitments.ts';
import type { Estimate } from '../model.ts';
import type { NaiveComparison } from '../scenarios.ts';
import type { ScheduleFigures } from '../schedule-scenarios.ts';
import { usd } from './format.ts';

/** The oldest price may be this many months old before the report warns. */
export const PRICE_AGE_LIMIT_MONTHS = 6;

export function priceAgeWarning(asOf: string, today: Date): string | undefined {
  const then = new Date(`${asOf}T00:00:00Z`);
  const months =
    (today.getUTCFullYear() - then.getUTCFullYear()) * 12 +
    (today.getUTCMonth() - then.getUTCMonth()) -
    (today.getUTCDate() < then.getUTCDate() ? 1 : 0);
  if (months <= PRICE_AGE_LIMIT_MONTHS) return undefined;
  return (
    `WARNING: the oldest price is from ${asOf}, ${months} months before ${today.toISOString().slice(0, 10)} ` +
    `(limit ${PRICE_AGE_LIMIT_MONTHS}): refresh with make cost-prices FILE=<AWS Price List offer file> (docs/cost.md)`
  );
}

const LEVER_NAMES: Record<string, string> = {
  natInstance: 'a NAT instance instead of a NAT gateway (dev, staging)',
  natPerAz: 'one NAT instead of one per AZ (dev, staging)',
  endpointsInEveryAz: 'interface endpoints in one AZ instead of 3 (dev, staging)',
  multiAzDatabase: 'single-AZ database (dev)',
  prodNodeBaseline: "smaller system nodes and Karpenter baseline than prod's (dev, staging)",
};

export interface Lever {
  name: string;
  savingUsd: number;
  pulled: boolean;
}

export function levers(naive: NaiveComparison, schedule: ScheduleFigures[], commitments: Commitments): Lever[] {
  const list: Lever[] = naive.byLever.map((l) => ({
    name: LEVER_NAMES[l.lever] ?? l.lever,
    savingUsd: l.savingUsd,
    pulled: true,
  }));
  for (const row of schedule) {
    const saving = row.aroundTheClockUsd - row.withScheduleUsd;
    if (row.account !== 'prod' && saving > 0.005) {
      list.push({
        name: `off-hours schedule in ${row.account} (${row.weeklyHours} h a week)`,
        savingUsd: saving,
        pulled: row.scheduled,
      });
    }
  }
  const compute = commitments.rows.reduce((t, r) => t + r.computeSavingUsd, 0);
  const reserved = commitments.rows.reduce((t, r) => t + Math.max(0, r.reservationSavingUsd), 0);
  list.push({ name: '1-year Compute Savings Plan over the steady on-demand EC2', savingUsd: compute, pulled: false });
  list.push({ name: '1-year RDS reservations where the database runs all month', savingUsd: reserved, pulled: false });
  return list.sort((a, b) => b.savingUsd - a.savingUsd);
}

export interface SummaryInput {
  result: Estimate;
  config: PlatformConfig;
  levers: Lever[];
  schedule: ScheduleFigures[];
  commitments: Commitments;
  capacity: CapacityPoint[];
  today: Date;
}

export function summaryLines(input: SummaryInput): string[] {
  const { result, config, schedule, commitments, capacity } = input;
  const out: string[] = [];
  const warning = priceAgeWarning(result.pricesAsOf, input.today);
  if (warning) out.push(warning, '');
  out.push(`Monthly cost per account (list prices, oldest ${result.pricesAsOf}):`);
  out.push(
    `  ${'account'.padEnd(12)} ${'total'.padStart(11)} ${'fixed'.padStart(11)} ${'usage'.padStart(11)}   around the clock / with off-hours`,
  );
  for (const account of result.accounts) {
    const row = schedule.find((s) => s.account === account.account);
    const both = row
      ? `${usd(row.aroundTheClockUsd)} / ${usd(row.withScheduleUsd)}${row.scheduled ? ' (schedule on)' : ' (schedule off)'}`
      : '';
    out.push(
      `  ${account.account.padEnd(12)} ${usd(account.totalUsd).padStart(11)} ${usd(account.fixedUsd).padStart(11)} ${usd(account.usageUsd).padStart(11)}   ${both}`,
    );
  }
  out.push(`  ${'TOTAL'.padEnd(12)} ${usd(result.totalUsd).padStart(11)}`, '');

  out.push('Biggest levers (saving per month):');
  for (const lever of input.levers.slice(0, 6)) {
    out.push(`  ${usd(lever.savingUsd).padStart(10)}  ${lever.pulled ? 'pulled    ' : 'not pulled'}  ${lever.name}`);
  }
  out.push(
    `  Commitments pay off from month ${commitments.computeBreakEvenMonth} (Savings Plan) and ${commitments.reservationBreakEvenMonth} (RDS reservation) of 12; reported, never bought here.`,
    '',
  );

  out.push('Choices that cost more than the cheaper option, and why (config costPolicy):');
  for (const env of config.environments) {
    const policy = env.costPolicy;
    out.push(
      `  ${env.name}: interface endpoints ${policy.interfaceEndpoints.services.length} in ${policy.interfaceEndpoints.azCount} AZ: ${policy.interfaceEndpoints.reason}`,
    );
    for (const [choice, reason] of Object.entries(policy.reasons)) out.push(`  ${env.name}: ${choice}: ${reason}`);
  }
  out.push('');

  if (capacity.length > 0) {
    out.push('Traffic (capacity model: benchmarked CPU per request, rendered CPU request and HPA target):');
    for (const p of capacity) {
      const over = p.podsOverMax > 0 ? `, ${p.podsOverMax} pods over the HPA maximum` : '';
      out.push(
        `  ${p.account.padEnd(8)} ${`${p.multiple}×`.padStart(6)} ${p.apiRequestsPerSecond.toFixed(1).padStart(8)} API req/s  ${String(p.pods).padStart(3)} pods ${String(p.nodes).padStart(3)} Karpenter nodes  ${usd(p.monthlyUsd).padStart(11)}/month  ${usd(p.usdPerMillionRequests).padStart(9)} per million requests${over}`,
      );
    }
    out.push('');
  }

  const unpriced = result.coverage.unpriced;
  out.push(
    unpriced.length === 0
      ? 'Unpriced: none (every resource type is priced, usage-billed or declared free with its source).'
      : `UNPRICED (not in the totals): ${unpriced.map((row) => `${row.type} × ${row.count}`).join(', ')}`,
  );
  return out;
}
