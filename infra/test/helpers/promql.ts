/**
 * Offline PromQL checks for the AMP rules: syntax through Prometheus' own Lezer grammar (the one its web UI uses),
 * and the series/labels a query names against what the API's metrics module declares.
 */
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlReferences {
  /** Metric names of vector selectors. */
  metrics: string[];
  /** Label names per selector (its matchers), keyed by the selector's metric name. */
  selectorLabels: Map<string, Set<string>>;
  /** Label names in `by`/`without`/`on`/`ignoring` clauses. */
  groupingLabels: string[];
}

/** Syntax errors of a PromQL expression: one entry per error node, naming its position; empty when it parses. */
export function promqlSyntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`syntax error at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.from + 20))}`);
    },
  });
  return errors;
}

export function promqlReferences(expr: string): PromqlReferences {
  const refs: PromqlReferences = { metrics: [], selectorLabels: new Map(), groupingLabels: [] };
  let selector: string | undefined;
  parser.parse(expr).iterate({
    enter(node) {
      const text = expr.slice(node.from, node.to);
      if (node.name === 'VectorSelector') selector = undefined;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        selector = text;
        refs.metrics.push(text);
        if (!refs.selectorLabels.has(text)) refs.selectorLabels.set(text, new Set());
      }
      if (node.name === 'LabelName') {
        const inMatcher = /Matcher/.test(node.node.parent?.name ?? '');
        if (inMatcher && selector) refs.selectorLabels.get(selector)?.add(text);
        else if (!inMatcher) refs.groupingLabels.push(text);
      }
    },
  });
  return refs;
}

export interface ExportedSeries {
  /** Series name → the labels it carries (declared labels; `le` for histogram buckets). */
  series: Map<string, Set<string>>;
}

/**
 * The series the API exposes on /metrics, read from its metrics module: a Counter `x_total`, a Gauge `x`, a
 * Histogram `x` as `x_bucket` (+ `le`), `x_sum`, `x_count` (prometheus-client naming).
 */
export function apiExportedSeries(metricsModulePath: string): ExportedSeries {
  const source = readFileSync(metricsModulePath, 'utf8');
  const series = new Map<string, Set<string>>();
  const declaration = /=\s*(Counter|Histogram|Gauge)\(\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"([\s\S]*?)\)\n/g;
  for (const [, kind, name, rest] of source.matchAll(declaration)) {
    const labelList = /\[([^\]]*)\]/.exec(rest ?? '')?.[1] ?? '';
    const labels = new Set([...labelList.matchAll(/"([^"]+)"/g)].map((m) => m[1] as string));
    if (kind === 'Histogram') {
      series.set(`${name}_bucket`, new Set([...labels, 'le']));
      series.set(`${name}_sum`, labels);
      series.set(`${name}_count`, labels);
    } else {
      series.set(name as string, labels);
    }
  }
  if (series.size === 0) throw new Error(`no Counter/Histogram/Gauge declarations found in ${metricsModulePath}`);
  return { series };
}

/**
 * Why an expression may not run against the API's series: a metric it does not export, or a label that neither the
 * metric nor the collector's scrape carries. Empty when every reference resolves.
 */
export function unresolvedReferences(
  expr: string,
  exported: ExportedSeries,
  scrapeLabels: readonly string[],
): string[] {
  const refs = promqlReferences(expr);
  const problems: string[] = [];
  const known = new Set<string>(scrapeLabels);
  for (const metric of refs.metrics) {
    const labels = exported.series.get(metric);
    if (!labels) {
      problems.push(`metric ${metric} is not exported by the API`);
      continue;
    }
    for (const label of labels) known.add(label);
    for (const label of refs.selectorLabels.get(metric) ?? []) {
      if (!labels.has(label) && !scrapeLabels.includes(label)) problems.push(`label ${label} is not on ${metric}`);
    }
  }
  for (const label of refs.groupingLabels) {
    if (!known.has(label)) problems.push(`grouping label ${label} is on none of the series used`);
  }
  return problems;
}
