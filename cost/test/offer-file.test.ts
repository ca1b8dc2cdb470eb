/** make cost-prices: an AWS Price List bulk offer file (products + terms.OnDemand) refreshes the table in place. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type OfferFile, refreshPriceTable } from '../src/offer-file.ts';
import { DEFAULT_PRICE_FILE, PriceTable, priceTableSchema } from '../src/price-table.ts';

const table = readFileSync(DEFAULT_PRICE_FILE, 'utf8');
const offer = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'offers', 'ec2-offer.json'), 'utf8'),
) as OfferFile;

describe('price refresh from an offer file', () => {
  const { text, updated, partial } = refreshPriceTable(table, [offer]);
  const refreshed = new PriceTable(priceTableSchema.parse(parse(text)));

  it('updates an entry the offer prices in every region: both prices, the date and the source', () => {
    expect(updated).toEqual(['ec2.on-demand.t4g.medium']);
    expect(refreshed.price('ec2.on-demand.t4g.medium', 'us-east-1')).toMatchObject({ usd: 0.035, asOf: '2026-11-20' });
    expect(refreshed.price('ec2.on-demand.t4g.medium', 'us-west-2').usd).toBe(0.0351);
    expect(refreshed.price('ec2.on-demand.t4g.medium', 'us-east-1').source).toMatch(
      /\/AmazonEC2\/current\/index\.json$/,
    );
  });

  it('leaves an entry priced in one region only as it was, and says so', () => {
    expect(partial).toEqual(['ec2.on-demand.m7g.xlarge']);
    expect(text).toContain('  ec2.on-demand.m7g.xlarge:');
    expect(refreshed.price('ec2.on-demand.m7g.xlarge', 'us-east-1').asOf).toBe('2025-06-01');
  });

  it('ignores products the model does not use (Windows) and changes nothing else in the file', () => {
    expect(refreshed.price('ec2.on-demand.m7g.large', 'us-east-1').usd).not.toBe(9.99);
    const changedLines = text.split('\n').filter((line, i) => line !== table.split('\n')[i]);
    expect(changedLines).toHaveLength(3);
    expect(text.split('\n')).toHaveLength(table.split('\n').length);
  });
});
