/**
 * The committed price table (`prices/aws-prices.yaml`), validated at load.
 *
 * Every number the model multiplies by comes from here, never from code: a price the code asks for that the table
 * lacks is an error naming the id, and an entry without a source URL or an as-of date fails the load.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export const REGIONS = ['us-east-1', 'us-west-2'] as const;
export type Region = (typeof REGIONS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date such as 2025-06-01');
const sourceUrl = z.url().startsWith('https://', 'expected an https URL of the AWS pricing page');
const usdPerRegion = z.strictObject({ 'us-east-1': z.number().nonnegative(), 'us-west-2': z.number().nonnegative() });

const priceEntry = z.strictObject({
  unit: z.string().min(1),
  usd: usdPerRegion,
  source: sourceUrl,
  asOf: isoDate,
  note: z.string().optional(),
});
const allowanceEntry = z.strictObject({
  amount: z.number().nonnegative(),
  unit: z.string().min(1),
  source: sourceUrl,
  asOf: isoDate,
  note: z.string().optional(),
});
const typeList = z.strictObject({
  source: sourceUrl,
  asOf: isoDate,
  types: z.record(z.string().regex(/^AWS::\w+::\w+$/, 'expected a CloudFormation type'), z.string().min(1)),
});

export const priceTableSchema = z.strictObject({
  hoursPerMonth: z.number().positive(),
  prices: z.record(z.string(), priceEntry),
  allowances: z.record(z.string(), allowanceEntry),
  rdsClassVcpus: z.strictObject({ source: sourceUrl, asOf: isoDate, vcpus: z.record(z.string(), z.number().int()) }),
  noCharge: typeList,
  usageBilled: typeList,
});
export type PriceTableData = z.infer<typeof priceTableSchema>;

export interface Price {
  id: string;
  usd: number;
  unit: string;
  source: string;
  asOf: string;
}

export class PriceError extends Error {
  override name = 'PriceError';
}

export const DEFAULT_PRICE_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'prices', 'aws-prices.yaml');

export class PriceTable {
  constructor(readonly data: PriceTableData) {
    for (const type of Object.keys(data.noCharge.types)) {
      if (type in data.usageBilled.types) throw new PriceError(`${type} is listed as both noCharge and usageBilled`);
    }
  }

  get hoursPerMonth(): number {
    return this.data.hoursPerMonth;
  }

  has(id: string): boolean {
    return id in this.data.prices;
  }

  price(id: string, region: Region): Price {
    const entry = this.data.prices[id];
    if (!entry) throw new PriceError(`no price "${id}" in prices/aws-prices.yaml`);
    return { id, usd: entry.usd[region], unit: entry.unit, source: entry.source, asOf: entry.asOf };
  }

  allowance(id: string): number {
    const entry = this.data.allowances[id];
    if (!entry) throw new PriceError(`no allowance "${id}" in prices/aws-prices.yaml`);
    return entry.amount;
  }

  rdsVcpus(instanceClass: string): number {
    const vcpus = this.data.rdsClassVcpus.vcpus[instanceClass];
    if (vcpus === undefined) throw new PriceError(`no vCPU count for RDS class "${instanceClass}" in rdsClassVcpus`);
    return vcpus;
  }

  noChargeReason(type: string): string | undefined {
    return this.data.noCharge.types[type];
  }

  usageBilledBy(type: string): string | undefined {
    return this.data.usageBilled.types[type];
  }

  /** The oldest as-of date in the table: what the report prints as "prices as of". */
  oldestAsOf(): string {
    const dates = [
      ...Object.values(this.data.prices).map((p) => p.asOf),
      ...Object.values(this.data.allowances).map((a) => a.asOf),
      this.data.rdsClassVcpus.asOf,
      this.data.noCharge.asOf,
      this.data.usageBilled.asOf,
    ];
    return dates.sort()[0] ?? '';
  }
}

export function loadPriceTable(path: string = DEFAULT_PRICE_FILE): PriceTable {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PriceError(`${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = priceTableSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PriceError(`prices/aws-prices.yaml: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return new PriceTable(result.data);
}
