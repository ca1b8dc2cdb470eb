/** What a resource pricer sees, and helpers to read literal properties out of a synthesized template. */
import type { Usage } from '@innovate/config';
import type { CostLine, LineOwner } from '../lines.ts';
import type { PriceTable } from '../price-table.ts';
import type { CfnResource } from '../synth.ts';

export interface ResourceContext {
  prices: PriceTable;
  owner: LineOwner;
  resource: CfnResource;
  /** Every resource of the same template, for references (a node group's launch template, a proxy's database). */
  template: Record<string, CfnResource>;
  /** The account's usage assumptions, for the few fixed resources billed per user (a Cognito pool). */
  usage?: Usage;
}

/** Prices one resource's fixed cost. Throws UnpricedError when it cannot, so the resource is listed as unpriced. */
export type Pricer = (ctx: ResourceContext) => CostLine[];

export class UnpricedError extends Error {
  override name = 'UnpricedError';
}

export function prop(resource: CfnResource, path: string): unknown {
  let value: unknown = resource.Properties;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A numeric property; CloudFormation often carries numbers as strings. Undefined stays undefined. */
export function numberProp(resource: CfnResource, path: string): number | undefined {
  const value = prop(resource, path);
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? Number(value) : value;
  if (typeof parsed !== 'number' || Number.isNaN(parsed)) {
    throw new UnpricedError(`${path} is not a literal number (${JSON.stringify(value)})`);
  }
  return parsed;
}

export function booleanProp(resource: CfnResource, path: string): boolean | undefined {
  const value = prop(resource, path);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new UnpricedError(`${path} is not a literal boolean (${JSON.stringify(value)})`);
}

export function stringProp(resource: CfnResource, path: string): string | undefined {
  const value = prop(resource, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UnpricedError(`${path} is not a literal string (${JSON.stringify(value)})`);
  return value;
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at, if any. */
export function referencedId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const ref = (value as Record<string, unknown>).Ref;
    if (typeof ref === 'string') return ref;
    const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  return undefined;
}
