/** One line of an estimate, and the helpers that build lines from the price table. */
import type { Price, PriceTable, Region } from './price-table.ts';

export type LineKind = 'fixed' | 'usage';

export interface CostLine {
  /** Account label: an environment name, `foundations` or `security`. */
  account: string;
  region: Region;
  /** CloudFormation stack, or `(usage)` / `(account services)` for lines driven by usage assumptions. */
  stack: string;
  logicalId: string;
  type: string;
  /** The construct path (`aws:cdk:path` metadata) without the stack, e.g. `Network/Vpc/NatGateway1`; absent for usage lines. */
  path?: string;
  /** What is being paid for, e.g. "NAT gateway hours". */
  item: string;
  /** `fixed`: paid because the resource exists; `usage`: driven by the usage assumptions in config. */
  kind: LineKind;
  quantity: number;
  unit: string;
  unitUsd: number;
  monthlyUsd: number;
  /** Price id in prices/aws-prices.yaml with its source and date; null for an explicit no-charge line. */
  priceId: string | null;
  source: string | null;
  asOf: string | null;
}

export interface LineOwner {
  account: string;
  region: Region;
  stack: string;
  logicalId: string;
  type: string;
  path?: string;
}

/** A line of `quantity` units of the price `priceId`. */
export function priced(
  prices: PriceTable,
  owner: LineOwner,
  item: string,
  kind: LineKind,
  priceId: string,
  quantity: number,
): CostLine {
  const price: Price = prices.price(priceId, owner.region);
  return {
    ...owner,
    item,
    kind,
    quantity,
    unit: price.unit,
    unitUsd: price.usd,
    monthlyUsd: quantity * price.usd,
    priceId,
    source: price.source,
    asOf: price.asOf,
  };
}

/** A resource the model priced and found free (e.g. a gateway endpoint): shown, never silently dropped. */
export function noCharge(owner: LineOwner, item: string): CostLine {
  return {
    ...owner,
    item,
    kind: 'fixed',
    quantity: 1,
    unit: 'resource',
    unitUsd: 0,
    monthlyUsd: 0,
    priceId: null,
    source: null,
    asOf: null,
  };
}

export function sum(lines: readonly CostLine[]): number {
  return lines.reduce((total, line) => total + line.monthlyUsd, 0);
}
