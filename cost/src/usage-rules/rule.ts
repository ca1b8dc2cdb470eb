/**
 * A usage rule: one usage-driven line of an account's cost, as data. The rule names the resource the account's
 * templates must hold for the usage to be incurred, the usage fields that drive the line, the price it is billed at
 * and the unit its quantity counts in. usage-lines.ts evaluates the table of rules; the files beside this one hold
 * the rules, each named after what it prices.
 */
import type { Usage } from '@innovate/config';
import type { AccountContext } from '../accounts.ts';
import type { Region } from '../price-table.ts';
import type { CfnResource } from '../synth.ts';

/** One resource of the account's templates, with the stack and region it is deployed in. */
export interface AccountResource {
  stack: string;
  region: Region;
  logicalId: string;
  resource: CfnResource;
}

type NumericKey<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T] & string;

/** A numeric field of config `usage`, nested ones by their dotted path. */
export type UsageField =
  | NumericKey<Usage>
  | `karpenter.${NumericKey<Usage['karpenter']>}`
  | `alb.${NumericKey<Usage['alb']>}`;

/** What a rule sees of the account. */
export interface UsageContext {
  account: AccountContext;
  usage: Usage;
  resources: readonly AccountResource[];
  hoursPerMonth: number;
  /** True when a resource of one of these CloudFormation types is in the account's templates. */
  has(...types: string[]): boolean;
  /** For a rule with `perResource`: the resource this line is for. */
  resource?: AccountResource;
}

type FromContext<T> = T | ((ctx: UsageContext) => T);

export interface UsageRule {
  /** Stable name of the line, e.g. `nat-data` (tests and readers refer to it). */
  id: string;
  /** The line's `type` column: the resource type that incurs it, or what is paid for (`Karpenter nodes`). */
  owner: string;
  /** The usage fields the quantity comes from; when the rule does not apply, the non-zero ones are reported as unapplied. */
  fields: readonly UsageField[];
  /** The rule applies when the account holds the resource that incurs the usage. */
  appliesWhen: (ctx: UsageContext) => boolean;
  /**
   * An input from outside the templates the line also needs (the rendered node class, a config switch). When it is
   * absent there is no line, and if a field is non-zero the `reason` (default: the fields' names) is reported.
   */
  needs?: { present: (ctx: UsageContext) => boolean; reason?: string };
  /** One line per resource this returns (each web ACL) instead of one line for the account. */
  perResource?: (ctx: UsageContext) => readonly AccountResource[];
  /** Where the cost is incurred; the account's primary region unless given (DR copies are stored in the DR region). */
  region?: (ctx: UsageContext) => Region;
  /** What is paid for, as the report's item column says it. */
  item: FromContext<string>;
  /** Price id in prices/aws-prices.yaml. */
  price: FromContext<string>;
  /** The unit the quantity counts in: the price table must bill the price in this unit, or the rule fails. */
  unit: string;
  /** Monthly quantity, in `unit`. */
  quantity: (ctx: UsageContext) => number;
}

/** The value of a usage field. */
export function fieldValue(usage: Usage, field: UsageField): number {
  const [head, tail] = field.split('.') as [string, string | undefined];
  const value = (usage as unknown as Record<string, unknown>)[head];
  return (tail === undefined ? value : (value as Record<string, unknown>)[tail]) as number;
}
