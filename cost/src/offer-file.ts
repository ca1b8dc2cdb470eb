/**
 * `make cost-prices FILE=<offer file> [FILE=...]`: refresh the price table from AWS Price List bulk offer files (the
 * JSON AWS publishes per service, whole or per region: `products` + `terms.OnDemand`), so a refresh is a command.
 *
 * It updates only entries the table already has and the offer files price in every region the model uses; each
 * updated entry takes the offer's publication date as `asOf` and the offer's address as `source`. Comments and every
 * other entry stay as they are. Understood today: EC2 on-demand Linux instances and RDS for PostgreSQL instances.
 */
import { parseDocument } from 'yaml';
import { PriceError, REGIONS, type Region } from './price-table.ts';

interface OfferProduct {
  sku: string;
  productFamily?: string;
  attributes: Record<string, string>;
}
interface PriceDimension {
  unit: string;
  pricePerUnit: { USD?: string };
}
export interface OfferFile {
  offerCode: string;
  publicationDate: string;
  products: Record<string, OfferProduct>;
  terms: { OnDemand?: Record<string, Record<string, { priceDimensions: Record<string, PriceDimension> }>> };
}

/** The price table id of an offer product, or undefined when the model has no use for it. */
function priceId(offerCode: string, product: OfferProduct): string | undefined {
  const a = product.attributes;
  if (offerCode === 'AmazonEC2' && product.productFamily === 'Compute Instance') {
    const linux =
      a.operatingSystem === 'Linux' && a.preInstalledSw === 'NA' && a.licenseModel !== 'Bring your own license';
    if (linux && a.tenancy === 'Shared' && a.capacitystatus === 'Used') return `ec2.on-demand.${a.instanceType}`;
  }
  if (offerCode === 'AmazonRDS' && product.productFamily === 'Database Instance' && a.databaseEngine === 'PostgreSQL') {
    const deployment = { 'Single-AZ': 'single-az', 'Multi-AZ': 'multi-az' }[a.deploymentOption ?? ''];
    if (deployment) return `rds.postgres.${a.instanceType}.${deployment}`;
  }
  return undefined;
}

export function offerPrices(
  offer: OfferFile,
): Map<string, { usd: Partial<Record<Region, number>>; asOf: string; source: string }> {
  if (!offer.offerCode || !offer.products || !offer.terms) {
    throw new PriceError('offer file: expected offerCode, products and terms (an AWS Price List bulk offer file)');
  }
  const asOf = offer.publicationDate.slice(0, 10);
  const source = `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${offer.offerCode}/current/index.json`;
  const found = new Map<string, { usd: Partial<Record<Region, number>>; asOf: string; source: string }>();
  for (const product of Object.values(offer.products)) {
    const id = priceId(offer.offerCode, product);
    const region = product.attributes.regionCode as Region;
    if (!id || !REGIONS.includes(region)) continue;
    const terms = Object.values(offer.terms.OnDemand?.[product.sku] ?? {});
    const dimension = terms.flatMap((term) => Object.values(term.priceDimensions))[0];
    const usd = Number(dimension?.pricePerUnit.USD);
    if (!dimension || !Number.isFinite(usd)) continue;
    const entry = found.get(id) ?? { usd: {}, asOf, source };
    entry.usd[region] = usd;
    found.set(id, entry);
  }
  return found;
}

/** The price table's text with every entry the offers price in all regions updated; and what changed. */
export function refreshPriceTable(
  tableText: string,
  offers: readonly OfferFile[],
): { text: string; updated: string[]; partial: string[] } {
  const merged = new Map<string, { usd: Partial<Record<Region, number>>; asOf: string; source: string }>();
  for (const offer of offers) {
    for (const [id, entry] of offerPrices(offer)) {
      const before = merged.get(id);
      const asOf = before && before.asOf < entry.asOf ? before.asOf : entry.asOf;
      merged.set(id, { ...entry, usd: { ...before?.usd, ...entry.usd }, asOf });
    }
  }
  const table = parseDocument(tableText);
  let text = tableText;
  const updated: string[] = [];
  const partial: string[] = [];
  for (const [id, entry] of [...merged].sort(([a], [b]) => a.localeCompare(b))) {
    if (!table.hasIn(['prices', id])) continue;
    if (!REGIONS.every((region) => entry.usd[region] !== undefined)) {
      partial.push(id);
      continue;
    }
    // Edited in place, entry by entry, so the file keeps its layout and comments (a YAML round trip reflows it).
    const block = entryBlock(text, id);
    let replaced = block.text;
    for (const region of REGIONS)
      replaced = replaced.replace(new RegExp(`(${region}: )[\\d.]+`), `$1${entry.usd[region]}`);
    replaced = replaced
      .replace(/(asOf: )"[^"]*"/, `$1"${entry.asOf}"`)
      .replace(/(source: )"[^"]*"/, `$1"${entry.source}"`);
    text = text.slice(0, block.start) + replaced + text.slice(block.end);
    updated.push(id);
  }
  return { text, updated, partial };
}

/** The text of `  <id>:` and its value, up to the next key at the same indentation. */
function entryBlock(text: string, id: string): { start: number; end: number; text: string } {
  const start = text.indexOf(`\n  ${id}:`) + 1;
  if (start === 0) throw new PriceError(`price ${id}: not found as "  ${id}:" in the table`);
  const next = /\n {2}[^\s#}]|\n[^\s#]/g;
  next.lastIndex = start + id.length + 3;
  const end = next.exec(text)?.index ?? text.length;
  return { start, end: end + 1, text: text.slice(start, end + 1) };
}
