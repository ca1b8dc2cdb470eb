/**
 * Usage-driven lines of one account: the config's usage assumptions priced by the table of usage rules
 * (usage-rules/), each line only when the templates hold the resource that incurs it (no NAT gateway, no NAT data
 * line). Usage declared in config that no resource can incur is returned as `unapplied`, so an assumption is never
 * silently dropped either.
 */
import type { AccountContext } from './accounts.ts';
import { type CostLine, priced } from './lines.ts';
import type { PriceTable } from './price-table.ts';
import { databaseBackupRules } from './usage-rules/database-backups.ts';
import { edgeRules } from './usage-rules/edge.ts';
import { karpenterNodeRules } from './usage-rules/karpenter-nodes.ts';
import { loadBalancerRules } from './usage-rules/load-balancer.ts';
import { networkRules } from './usage-rules/network.ts';
import { observabilityRules } from './usage-rules/observability.ts';
import { type AccountResource, fieldValue, type UsageContext, type UsageRule } from './usage-rules/rule.ts';
import { storageAndRequestRules } from './usage-rules/storage-and-requests.ts';

export type { AccountResource } from './usage-rules/rule.ts';

/** Every usage rule, in the order the lines are listed. */
export const USAGE_RULES: readonly UsageRule[] = [
  ...networkRules,
  ...karpenterNodeRules,
  ...loadBalancerRules,
  ...edgeRules,
  ...observabilityRules,
  ...databaseBackupRules,
  ...storageAndRequestRules,
];

export interface UsageLines {
  lines: CostLine[];
  /** Usage fields with a non-zero value that no resource in the account's templates incurs. */
  unapplied: string[];
}

export class UsageRuleError extends Error {
  override name = 'UsageRuleError';
}

export function usageLines(
  account: AccountContext,
  resources: readonly AccountResource[],
  prices: PriceTable,
): UsageLines {
  return evaluateUsageRules(USAGE_RULES, account, resources, prices);
}

/** The lines of `rules` for one account, in the rules' order; throws UsageRuleError when a rule's unit is not its price's. */
export function evaluateUsageRules(
  rules: readonly UsageRule[],
  account: AccountContext,
  resources: readonly AccountResource[],
  prices: PriceTable,
): UsageLines {
  const ctx: UsageContext = {
    account,
    usage: account.usage,
    resources,
    hoursPerMonth: prices.hoursPerMonth,
    has: (...types) => resources.some((r) => types.includes(r.resource.Type)),
  };
  const lines: CostLine[] = [];
  const unapplied: string[] = [];
  // A field another rule applies is not unapplied (natGB: the gateway's rule or the NAT instance's).
  const applied = new Set<string>();
  for (const rule of rules) {
    const asked = rule.fields.filter((field) => fieldValue(ctx.usage, field) > 0);
    if (!rule.appliesWhen(ctx)) {
      unapplied.push(...asked);
      continue;
    }
    if (rule.needs && !rule.needs.present(ctx)) {
      if (asked.length > 0) unapplied.push(...(rule.needs.reason ? [rule.needs.reason] : asked));
      continue;
    }
    for (const field of rule.fields) applied.add(field);
    const subjects = rule.perResource ? rule.perResource(ctx).map((resource) => ({ ...ctx, resource })) : [ctx];
    for (const subject of subjects) lines.push(ruleLine(rule, subject, prices));
  }
  return { lines, unapplied: [...new Set(unapplied)].filter((field) => !applied.has(field)) };
}

function ruleLine(rule: UsageRule, ctx: UsageContext, prices: PriceTable): CostLine {
  const value = <T>(v: T | ((c: UsageContext) => T)): T =>
    typeof v === 'function' ? (v as (c: UsageContext) => T)(ctx) : v;
  const region = ctx.resource?.region ?? rule.region?.(ctx) ?? ctx.account.primaryRegion;
  const line = priced(
    prices,
    {
      account: ctx.account.label,
      region,
      stack: '(usage)',
      logicalId: ctx.resource?.logicalId ?? '-',
      type: rule.owner,
    },
    value(rule.item),
    'usage',
    value(rule.price),
    rule.quantity(ctx),
  );
  if (line.unit !== rule.unit) {
    throw new UsageRuleError(
      `usage rule ${rule.id}: price ${line.priceId} is billed per "${line.unit}", the rule counts "${rule.unit}"`,
    );
  }
  return line;
}
