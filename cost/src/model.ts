/**
 * The cost model: a synthesized cloud assembly + the config + the price table → monthly cost per account, stack and
 * resource line.
 *
 * Every resource type found is accounted for in exactly one way: priced by a pricer (fixed lines), billed through
 * the account's usage lines, declared free in the price table, or listed as unpriced with its count.
 */
import type { PlatformConfig } from '@innovate/config';
import { accountServiceLines } from './account-services.ts';
import { type AccountContext, AccountError, accountById, accountContexts } from './accounts.ts';
import { type CostLine, type LineOwner, noCharge, priced, sum } from './lines.ts';
import { PriceError, type PriceTable, REGIONS, type Region } from './price-table.ts';
import { eksCluster, eksNodegroup } from './pricers/compute.ts';
import type { Pricer } from './pricers/context.ts';
import { UnpricedError } from './pricers/context.ts';
import { dbInstance, dbProxy } from './pricers/database.ts';
import { alarm, compositeAlarm, hostedZone, kmsKey, secret, wafWebAcl } from './pricers/edge-security.ts';
import { cognitoUserPool } from './pricers/identity.ts';
import { ec2Instance, elasticIp, natGateway, vpcEndpoint } from './pricers/network.ts';
import type { SynthStack } from './synth.ts';
import { type AccountResource, usageLines } from './usage-lines.ts';

/** Resource types with a fixed cost, and the function that prices one resource of the type. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  'AWS::EKS::Cluster': eksCluster,
  'AWS::EKS::Nodegroup': eksNodegroup,
  'AWS::EC2::NatGateway': natGateway,
  'AWS::EC2::Instance': ec2Instance,
  'AWS::EC2::EIP': elasticIp,
  'AWS::EC2::VPCEndpoint': vpcEndpoint,
  'AWS::RDS::DBInstance': dbInstance,
  'AWS::RDS::DBProxy': dbProxy,
  'AWS::WAFv2::WebACL': wafWebAcl,
  'AWS::Route53::HostedZone': hostedZone,
  'AWS::KMS::Key': kmsKey,
  'AWS::SecretsManager::Secret': secret,
  'AWS::CloudWatch::Alarm': alarm,
  'AWS::CloudWatch::CompositeAlarm': compositeAlarm,
  'AWS::Cognito::UserPool': cognitoUserPool,
};
const BUDGET = 'AWS::Budgets::Budget';

export interface TypeCount {
  type: string;
  count: number;
  /** Why it is free, which usage line carries it, or why it could not be priced. */
  reason?: string;
}

export interface AccountEstimate {
  account: string;
  accountId: string;
  lines: CostLine[];
  fixedUsd: number;
  usageUsd: number;
  totalUsd: number;
  /** Non-zero usage assumptions no resource in this account incurs. */
  unappliedUsage: string[];
}

export interface Estimate {
  pricesAsOf: string;
  hoursPerMonth: number;
  accounts: AccountEstimate[];
  totalUsd: number;
  coverage: { priced: TypeCount[]; usageBilled: TypeCount[]; noCharge: TypeCount[]; unpriced: TypeCount[] };
}

export function estimate(stacks: readonly SynthStack[], config: PlatformConfig, prices: PriceTable): Estimate {
  const contexts = accountContexts(config);
  const resourcesByAccount = new Map<AccountContext, AccountResource[]>();
  for (const stack of stacks) {
    const account = accountById(contexts, stack.account, stack.name);
    const region = checkRegion(stack);
    const list = resourcesByAccount.get(account) ?? [];
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      list.push({ stack: stack.name, region, logicalId, resource });
    }
    resourcesByAccount.set(account, list);
  }

  const counts = new Counter();
  const budgets = [...resourcesByAccount.entries()]
    .flatMap(([account, list]) => list.filter((r) => r.resource.Type === BUDGET).map((r) => ({ account, r })))
    .sort((a, b) => `${a.r.stack}/${a.r.logicalId}`.localeCompare(`${b.r.stack}/${b.r.logicalId}`));
  const freeBudgets = prices.allowance('budgets.free-budgets-per-payer');

  const accounts: AccountEstimate[] = [];
  for (const account of contexts) {
    // Every account of the organization is estimated: the per-account services run even where no stack deploys.
    const resources = resourcesByAccount.get(account) ?? [];
    const lines: CostLine[] = [];
    for (const item of resources) {
      const type = item.resource.Type;
      const owner: LineOwner = {
        account: account.label,
        region: item.region,
        stack: item.stack,
        logicalId: item.logicalId,
        type,
        ...constructPath(item),
      };
      if (type === BUDGET) {
        const ordinal = budgets.findIndex((b) => b.r === item);
        lines.push(
          ordinal < freeBudgets
            ? noCharge(owner, `budget (one of the ${freeBudgets} free per payer account)`)
            : priced(prices, owner, 'budget', 'fixed', 'budgets.budget.day', prices.hoursPerMonth / 24),
        );
        counts.add('priced', type);
        continue;
      }
      const pricer = PRICERS[type];
      if (pricer) {
        try {
          lines.push(
            ...pricer({
              prices,
              owner,
              resource: item.resource,
              template: templateOf(resources, item.stack),
              usage: account.usage,
            }),
          );
          counts.add('priced', type);
        } catch (error) {
          if (!(error instanceof UnpricedError || error instanceof PriceError)) throw error;
          counts.add('unpriced', type, `${item.stack}/${item.logicalId}: ${error.message}`);
        }
        continue;
      }
      const usageLine = prices.usageBilledBy(type);
      if (usageLine) {
        counts.add('usageBilled', type, usageLine);
        continue;
      }
      const free = prices.noChargeReason(type) ?? customResourceReason(type);
      if (free) {
        counts.add('noCharge', type, free);
        continue;
      }
      counts.add('unpriced', type, 'no pricer and not declared free in prices/aws-prices.yaml');
    }
    const usage = usageLines(account, resources, prices);
    lines.push(...usage.lines, ...accountServiceLines(account, prices));
    const fixedUsd = sum(lines.filter((line) => line.kind === 'fixed'));
    const usageUsd = sum(lines.filter((line) => line.kind === 'usage'));
    accounts.push({
      account: account.label,
      accountId: account.id,
      lines,
      fixedUsd,
      usageUsd,
      totalUsd: fixedUsd + usageUsd,
      unappliedUsage: usage.unapplied,
    });
  }
  return {
    pricesAsOf: prices.oldestAsOf(),
    hoursPerMonth: prices.hoursPerMonth,
    accounts,
    totalUsd: accounts.reduce((total, account) => total + account.totalUsd, 0),
    coverage: counts.result(),
  };
}

/** `innovate-dev-network/Network/Vpc/publicSubnet1/NATGateway` → `Network/Vpc/publicSubnet1/NATGateway`. */
function constructPath(item: AccountResource): { path?: string } {
  const path = (item.resource as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') return {};
  return { path: path.replace(`${item.stack}/`, '').replace(/\/(Resource|Default)$/, '') };
}

function checkRegion(stack: SynthStack): Region {
  if (!(REGIONS as readonly string[]).includes(stack.region)) {
    throw new AccountError(`stack ${stack.name}: region ${stack.region} has no prices (only ${REGIONS.join(', ')})`);
  }
  return stack.region as Region;
}

function templateOf(resources: readonly AccountResource[], stack: string) {
  return Object.fromEntries(resources.filter((r) => r.stack === stack).map((r) => [r.logicalId, r.resource]));
}

/** CDK custom resources run a Lambda function at deploy time only; the function itself is declared free. */
function customResourceReason(type: string): string | undefined {
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    return 'custom resource: a deploy-time Lambda call (AWS::Lambda::Function is declared free)';
  }
  return undefined;
}

type Category = keyof Estimate['coverage'];

class Counter {
  private readonly map = new Map<string, { category: Category; type: string; count: number; reasons: Set<string> }>();

  add(category: Category, type: string, reason?: string): void {
    const key = `${category}|${type}`;
    const entry = this.map.get(key) ?? { category, type, count: 0, reasons: new Set<string>() };
    entry.count += 1;
    if (reason) entry.reasons.add(reason);
    this.map.set(key, entry);
  }

  result(): Estimate['coverage'] {
    const pick = (category: Category): TypeCount[] =>
      [...this.map.values()]
        .filter((entry) => entry.category === category)
        .map((entry) => ({
          type: entry.type,
          count: entry.count,
          ...(entry.reasons.size ? { reason: [...entry.reasons].join('; ') } : {}),
        }))
        .sort((a, b) => a.type.localeCompare(b.type));
    return {
      priced: pick('priced'),
      usageBilled: pick('usageBilled'),
      noCharge: pick('noCharge'),
      unpriced: pick('unpriced'),
    };
  }
}
