/**
 * The API's SLO alerting rules for Amazon Managed Service for Prometheus (requirement OBS-4: latency, error rate, saturation),
 * built from config as plain data so tests can parse every expression and check every metric it names.
 *
 * The series are the API's own (api/src/innovate_api/observability/metrics.py), scraped by the ADOT collector and
 * remote-written to AMP with the scrape labels `namespace` and `pod` (deploy/src/charts/addons.ts relabel rules).
 * Thresholds come from `observability.slo` and `api.maxReplicas`; every rule links its runbook in docs/runbooks/.
 */
import type { OrganizationConfig, ResolvedEnvironment } from '@innovate/config';
import { stringify } from 'yaml';
import { runbookUrl } from '../runbooks.ts';

/** Labels the collector adds to every scraped series (relabel rules in deploy/src/charts/addons.ts). */
export const SCRAPE_LABELS = ['namespace', 'pod', 'job', 'instance', 'rollouts_pod_template_hash'] as const;

/** Ops endpoints polled by kubelet and the collector: not user traffic, so not part of any SLO. */
export const OPS_ROUTES = ['/healthz', '/readyz', '/metrics'] as const;

/** The readiness probe's route template (deploy/src/charts/api-rollout.ts readinessProbe). */
export const READINESS_ROUTE = '/readyz';

/**
 * Multi-window, multi-burn-rate error-budget alerts for a 30-day objective (Google SRE workbook, ch. 5): 2% of the
 * budget gone in 1 h, or 5% in 6 h; the short window makes the alert stop soon after the burn stops.
 */
export const BURN_RATE_WINDOWS = [
  { long: '1h', short: '5m', factor: 14.4 },
  { long: '6h', short: '30m', factor: 6 },
] as const;

/** A route needs at least this many requests per second before its p99 is trusted (3 per minute). */
export const MIN_ROUTE_RATE_PER_SECOND = 0.05;

/** `critical` pages where `observability.paging` is on; `warning` only notifies the alarm topic. */
export type Severity = 'critical' | 'warning';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity; [label: string]: string };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroups {
  groups: { name: string; interval: string; rules: AlertRule[] }[];
}

/** The runbook file of an alert, relative to the repository root. */
export function runbookPath(alert: string): string {
  return `docs/runbooks/${alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.md`;
}

/** Rounds away binary noise (14.4 × 0.001 = 0.014400000000000001) so the rule text reads as the number meant. */
function decimal(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/**
 * The SLO signals as PromQL, each the left-hand side of an alert and a panel of the generated dashboards
 * (deploy/src/dashboards/): one definition, so a graph and the alert about it never disagree.
 */
export function sloQueries(environment: ResolvedEnvironment) {
  const ns = `namespace="${environment.names.apiNamespace}"`;
  const user = `${ns},route!~"${OPS_ROUTES.join('|')}"`;
  return {
    namespace: ns,
    userTraffic: user,
    p99ByRoute: (window = '5m') =>
      `histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{${user}}[${window}])))`,
    rateByRoute: (window = '5m') => `sum by (route) (rate(http_request_duration_seconds_count{${user}}[${window}]))`,
    errorRatio: (window: string) =>
      `sum(rate(http_requests_total{${user},status=~"5.."}[${window}])) / sum(rate(http_requests_total{${user}}[${window}]))`,
    poolSaturationByPod: `sum by (pod) (db_pool_checked_out{${ns}}) / sum by (pod) (db_pool_size{${ns}})`,
    // Pods counted by the series each API pod exports; kube-state-metrics is not collected (yet).
    podCount: `count(count by (pod) (db_pool_size{${ns}}))`,
    readyAnswers: `sum(rate(http_requests_total{${ns},route="${READINESS_ROUTE}",status="200"}[2m]))`,
  };
}

export function apiSloRules(environment: ResolvedEnvironment, organization: OrganizationConfig): RuleGroups {
  const { slo } = environment.observability;
  const q = sloQueries(environment);
  const runbook = (alert: string) => runbookUrl(organization, runbookPath(alert));
  const budget = 1 - slo.availabilityTarget;

  const rules: AlertRule[] = [
    {
      alert: 'ApiLatencyP99High',
      expr: `${q.p99ByRoute()} > ${slo.p99LatencySeconds} and on (route) ${q.rateByRoute()} > ${MIN_ROUTE_RATE_PER_SECOND}`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'API p99 latency above the SLO threshold on a route',
        description: `p99 of {{ $labels.route }} is {{ $value | humanizeDuration }} (threshold ${slo.p99LatencySeconds}s) for 10 minutes.`,
        runbook_url: runbook('ApiLatencyP99High'),
      },
    },
    ...BURN_RATE_WINDOWS.map(
      ({ long, short, factor }): AlertRule => ({
        alert: 'ApiErrorBudgetBurn',
        expr: `(${q.errorRatio(long)}) > ${decimal(factor * budget)} and (${q.errorRatio(short)}) > ${decimal(factor * budget)}`,
        for: '2m',
        labels: { severity: 'critical', window: long },
        annotations: {
          summary: `API 5xx ratio burns the ${slo.availabilityTarget} availability budget ${factor}x too fast`,
          description: `5xx ratio over ${long} and ${short} above ${decimal(factor * budget)} (${factor} x the ${decimal(budget)} error budget).`,
          runbook_url: runbook('ApiErrorBudgetBurn'),
        },
      }),
    ),
    {
      alert: 'ApiDbPoolSaturated',
      expr: `${q.poolSaturationByPod} > ${slo.dbPoolSaturation}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'An API pod has (almost) every database connection of its pools in use',
        description: `{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its DB pool (threshold ${slo.dbPoolSaturation}).`,
        runbook_url: runbook('ApiDbPoolSaturated'),
      },
    },
    {
      alert: 'ApiAtMaxReplicas',
      expr: `${q.podCount} >= ${environment.api.maxReplicas}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The API runs at the autoscaler maximum: no headroom left',
        description: `{{ $value }} API pods report metrics (HPA maximum ${environment.api.maxReplicas}) for 15 minutes.`,
        runbook_url: runbook('ApiAtMaxReplicas'),
      },
    },
    {
      // kubelet probes /readyz on every pod every few seconds: no 200 from it anywhere means no pod is a ready
      // target, and no series at all (no pod scraped) counts as zero.
      alert: 'ApiNoReadyTargets',
      expr: `(${q.readyAnswers} or vector(0)) == 0`,
      for: '3m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'No API pod passes its readiness probe',
        description: 'No 200 answer from /readyz on any API pod for 3 minutes: the ALB has no healthy target.',
        runbook_url: runbook('ApiNoReadyTargets'),
      },
    },
  ];
  return { groups: [{ name: 'api-slo', interval: '1m', rules }] };
}

/** The rules file as AMP takes it (Prometheus rules YAML), unwrapped so each expression stays on one line. */
export function rulesFileContent(rules: RuleGroups): string {
  return stringify(rules, { lineWidth: 0 });
}
