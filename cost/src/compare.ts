/**
 * Comparison mode: two estimates (e.g. main and a change) → the difference per line, the way a pull-request comment
 * shows it. Lines are matched by account, stack, resource and price id, so a changed quantity is one changed line.
 */
import type { CostLine } from './lines.ts';
import type { Estimate, TypeCount } from './model.ts';
import { quantity, signedUsd, usd } from './report/format.ts';

export interface LineDelta {
  account: string;
  stack: string;
  resource: string;
  item: string;
  beforeUsd: number;
  afterUsd: number;
  deltaUsd: number;
}

export interface Comparison {
  accounts: Array<{ account: string; beforeUsd: number; afterUsd: number; deltaUsd: number }>;
  lines: LineDelta[];
  beforeUsd: number;
  afterUsd: number;
  deltaUsd: number;
  /** Unpriced types whose count changed: a change that adds cost the model cannot see must be visible. */
  unpricedChanges: Array<{ type: string; before: number; after: number }>;
}

const EPSILON = 0.005;

export function compare(before: Estimate, after: Estimate): Comparison {
  const index = (estimate: Estimate) => {
    const map = new Map<string, { line: CostLine; usd: number }>();
    for (const account of estimate.accounts) {
      for (const line of account.lines) {
        const key = [line.account, line.stack, line.logicalId, line.type, line.priceId ?? line.item].join('|');
        const entry = map.get(key);
        if (entry) entry.usd += line.monthlyUsd;
        else map.set(key, { line, usd: line.monthlyUsd });
      }
    }
    return map;
  };
  const a = index(before);
  const b = index(after);
  const lines: LineDelta[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const beforeUsd = a.get(key)?.usd ?? 0;
    const afterUsd = b.get(key)?.usd ?? 0;
    if (Math.abs(afterUsd - beforeUsd) < EPSILON) continue;
    const line = (b.get(key) ?? a.get(key))?.line as CostLine;
    lines.push({
      account: line.account,
      stack: line.stack,
      resource: line.logicalId === '-' ? line.type : `${line.logicalId} (${line.type})`,
      item: b.get(key)?.line.item ?? line.item,
      beforeUsd,
      afterUsd,
      deltaUsd: afterUsd - beforeUsd,
    });
  }
  lines.sort((x, y) => Math.abs(y.deltaUsd) - Math.abs(x.deltaUsd));
  const names = [...new Set([...before.accounts, ...after.accounts].map((account) => account.account))];
  const total = (estimate: Estimate, name: string) => estimate.accounts.find((x) => x.account === name)?.totalUsd ?? 0;
  const accounts = names.map((account) => ({
    account,
    beforeUsd: total(before, account),
    afterUsd: total(after, account),
    deltaUsd: total(after, account) - total(before, account),
  }));
  const count = (rows: TypeCount[], type: string) => rows.find((row) => row.type === type)?.count ?? 0;
  const types = new Set([...before.coverage.unpriced, ...after.coverage.unpriced].map((row) => row.type));
  const unpricedChanges = [...types]
    .map((type) => ({
      type,
      before: count(before.coverage.unpriced, type),
      after: count(after.coverage.unpriced, type),
    }))
    .filter((row) => row.before !== row.after);
  return {
    accounts,
    lines,
    beforeUsd: before.totalUsd,
    afterUsd: after.totalUsd,
    deltaUsd: after.totalUsd - before.totalUsd,
    unpricedChanges,
  };
}

export function comparisonMarkdown(comparison: Comparison): string {
  const out = [
    `### Cost change: ${signedUsd(comparison.deltaUsd)} per month (${usd(comparison.beforeUsd)} → ${usd(comparison.afterUsd)})`,
    '',
    '| Account | Before | After | Change |',
    '| --- | ---: | ---: | ---: |',
    ...comparison.accounts.map(
      (a) => `| ${a.account} | ${usd(a.beforeUsd)} | ${usd(a.afterUsd)} | ${signedUsd(a.deltaUsd)} |`,
    ),
    '',
  ];
  if (comparison.lines.length === 0) out.push('No line changed.');
  else {
    out.push(
      '| Account | Stack | Resource | Item | Before | After | Change |',
      '| --- | --- | --- | --- | ---: | ---: | ---: |',
    );
    for (const line of comparison.lines) {
      out.push(
        `| ${line.account} | ${line.stack} | ${line.resource} | ${line.item} | ${usd(line.beforeUsd)} | ${usd(line.afterUsd)} | ${signedUsd(line.deltaUsd)} |`,
      );
    }
  }
  for (const change of comparison.unpricedChanges) {
    out.push(
      '',
      `Unpriced \`${change.type}\`: ${quantity(change.before)} → ${quantity(change.after)} (not in the totals).`,
    );
  }
  return `${out.join('\n')}\n`;
}
