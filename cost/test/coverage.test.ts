/** Nothing is priced silently as zero: every resource is priced, usage-billed, declared free, or listed unpriced. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRICERS } from '../src/model.ts';
import { DEFAULT_PRICE_FILE, loadPriceTable } from '../src/price-table.ts';
import { fixture, priceStacks, prices, stackOf } from './helpers.ts';

describe('coverage of resource types', () => {
  const stacks = fixture('base');
  const result = priceStacks(stacks);
  const { priced, usageBilled, noCharge, unpriced } = result.coverage;

  it('lists a type the model cannot price with its count, outside the totals', () => {
    expect(unpriced).toEqual([
      { type: 'AWS::EFS::FileSystem', count: 1, reason: 'no pricer and not declared free in prices/aws-prices.yaml' },
    ]);
    expect(result.accounts.flatMap((a) => a.lines).some((l) => l.type === 'AWS::EFS::FileSystem')).toBe(false);
  });

  it('accounts for every resource of every template exactly once', () => {
    const resources = stacks.flatMap((stack) => Object.values(stack.template.Resources ?? {}));
    const counted = [...priced, ...usageBilled, ...noCharge, ...unpriced].reduce((sum, row) => sum + row.count, 0);
    expect(counted).toBe(resources.length);
    const categories = [priced, usageBilled, noCharge, unpriced].map((rows) => new Set(rows.map((row) => row.type)));
    for (const type of new Set(resources.map((r) => r.Type))) {
      // a type may be split only between priced and unpriced (one resource of it could not be priced)
      const where = categories.filter((set) => set.has(type)).length;
      expect(where, type).toBeGreaterThanOrEqual(1);
    }
  });

  it('lists a resource whose price is missing from the table as unpriced, with the reason', () => {
    const odd = priceStacks(
      stackOf({ Db: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceClass: 'db.x2iedn.32xlarge' } } }),
    );
    expect(odd.coverage.unpriced).toHaveLength(1);
    expect(odd.coverage.unpriced[0]?.reason).toMatch(/no price "rds\.postgres\.db\.x2iedn\.32xlarge\.single-az"/);
    expect(odd.totalUsd).toBe(0);
  });

  it('keeps the price table consistent with the code: no priced type is also declared free or usage-billed', () => {
    for (const type of Object.keys(PRICERS)) {
      expect(prices.noChargeReason(type), type).toBeUndefined();
      expect(prices.usageBilledBy(type), type).toBeUndefined();
    }
  });

  it('every price entry names an https source and an as-of date', () => {
    for (const [id, entry] of Object.entries(prices.data.prices)) {
      expect(entry.source, id).toMatch(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//);
      expect(entry.asOf, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('the price table refuses a price without its provenance', () => {
  it('names the entry and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-prices-'));
    const path = join(dir, 'aws-prices.yaml');
    const text = readFileSync(DEFAULT_PRICE_FILE, 'utf8');
    const start = text.indexOf('vpc.nat-gateway.hour:');
    const asOf = text.indexOf('asOf:', start);
    writeFileSync(path, text.slice(0, asOf) + text.slice(text.indexOf('\n', asOf) + 1));
    expect(() => loadPriceTable(path)).toThrow(/prices\.vpc\.nat-gateway\.hour\.asOf: /);
    writeFileSync(path, text.replace('source: "https://aws.amazon.com/vpc/pricing/"', 'source: "see the website"'));
    expect(() => loadPriceTable(path)).toThrow(/prices\.vpc\.nat-gateway\.hour\.source: /);
  });
});

describe('stacks the model cannot attribute', () => {
  it('a stack in an account the config does not know fails, naming the stack and the known accounts', () => {
    expect(() => priceStacks(stackOf({}, '999999999999', 'stray'))).toThrow(
      /stack stray: account 999999999999 is not in config \(known: dev=100000000011/,
    );
  });

  it('a stack in a region without prices fails, naming the region', () => {
    expect(() => priceStacks(stackOf({}, undefined, 'eu', 'eu-west-1'))).toThrow(
      /stack eu: region eu-west-1 has no prices \(only us-east-1, us-west-2\)/,
    );
  });
});
