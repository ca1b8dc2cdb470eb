/**
 * Unit tests of the API's SLO alerting rules, in the form `promtool test rules` reads: for every rule, input series
 * that must fire it and series that must not, with the exact labels and annotations (severity, runbook URL) the
 * page carries. The series are derived from the environment's thresholds (config), so each environment's rules are
 * tested at its own numbers; what must (not) fire is written here by hand, scenario by scenario.
 *
 * promtool's series notation: `a+bxn` is a, a+b, …, a+n·b, one value per `interval` (1m here); `_xn` is n gaps.
 */
import type { OrganizationConfig, ResolvedEnvironment } from '@innovate/config';
import { type AlertRule, apiSloRules, BURN_RATE_WINDOWS } from '../constructs/api-slo-rules.ts';

interface Series {
  series: string;
  values: string;
}
interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}
interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpectedAlert[];
}
/** One scenario: its own input series, and what each named alert does at the given times. */
export interface TestGroup {
  name: string;
  interval: string;
  input_series: Series[];
  alert_rule_test: AlertTest[];
}
export interface RuleTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: TestGroup[];
}

/** The route every scenario's user traffic goes to (a real route template of the API). */
const ROUTE = '/api/tasks';
const POD = 'api-7d9f-abcde';

/** Go's `%.4g` for the plain numbers these tests produce (what `humanize*` template functions print). */
function g4(value: number): string {
  return String(Number(value.toPrecision(4)));
}
/** Prometheus' `humanizeDuration` for values under a minute. */
function humanizeDuration(seconds: number): string {
  return seconds >= 1 ? `${g4(seconds)}s` : `${g4(seconds * 1000)}ms`;
}

/** A counter growing by `perMinute` every minute for `minutes` minutes. */
function counter(perMinute: number, minutes: number): string {
  return `0+${perMinute}x${minutes}`;
}

export function apiSloRuleTests(
  environment: ResolvedEnvironment,
  organization: OrganizationConfig,
  ruleFile: string,
): RuleTestFile {
  const rules = apiSloRules(environment, organization).groups.flatMap((group) => group.rules);
  const ns = environment.names.apiNamespace;
  const { slo } = environment.observability;
  const rule = (alert: string, window?: string): AlertRule => {
    const found = rules.find((r) => r.alert === alert && (window === undefined || r.labels.window === window));
    if (!found) throw new Error(`no rule ${alert}${window ? ` (window ${window})` : ''}`);
    return found;
  };
  /** The alert as the page shows it: the rule's labels plus the series labels the expression keeps. */
  const fired = (r: AlertRule, seriesLabels: Record<string, string> = {}, values: Record<string, string> = {}) => ({
    exp_labels: { ...r.labels, ...seriesLabels },
    exp_annotations: {
      ...r.annotations,
      description: Object.entries({ ...seriesLabels, ...values }).reduce(
        (text, [key, value]) =>
          text.replace(new RegExp(`\\{\\{ \\$(labels\\.${key}|${key})( \\| [a-zA-Z]+)? \\}\\}`, 'g'), value),
        r.annotations.description,
      ),
    },
  });

  const requests = (route: string, status: string, perMinute: number, minutes: number): Series => ({
    series: `http_requests_total{namespace="${ns}",method="GET",route="${route}",status="${status}"}`,
    values: counter(perMinute, minutes),
  });
  /** Readiness probes answered 200, so ApiNoReadyTargets stays quiet in scenarios about something else. */
  const ready = (minutes: number) => requests('/readyz', '200', 6, minutes);

  // ---- ApiLatencyP99High: buckets `t` (empty), `2t` (empty) and +Inf: every request slower than 2t, so the p99
  // is the upper bound of the highest finite bucket, exactly 2t (Prometheus' rule for the +Inf bucket).
  const t = slo.p99LatencySeconds;
  const histogram = (route: string, perMinute: number, slowShare: number, minutes: number): Series[] => {
    const slow = Math.round(perMinute * slowShare);
    const bucket = (le: string, count: number) => ({
      series: `http_request_duration_seconds_bucket{namespace="${ns}",method="GET",route="${route}",le="${le}"}`,
      values: counter(count, minutes),
    });
    return [
      bucket(String(t), perMinute - slow),
      bucket(String(2 * t), perMinute - slow),
      bucket('+Inf', perMinute),
      {
        series: `http_request_duration_seconds_count{namespace="${ns}",method="GET",route="${route}"}`,
        values: counter(perMinute, minutes),
      },
    ];
  };
  const latency = rule('ApiLatencyP99High');
  const latencyTests: TestGroup[] = [
    {
      name: `ApiLatencyP99High fires after 10m of a slow route (p99 ${2 * t}s > ${t}s), not before`,
      interval: '1m',
      input_series: [...histogram(ROUTE, 60, 1, 30), ready(30)],
      alert_rule_test: [
        { eval_time: '9m', alertname: 'ApiLatencyP99High', exp_alerts: [] },
        {
          eval_time: '15m',
          alertname: 'ApiLatencyP99High',
          exp_alerts: [fired(latency, { route: ROUTE }, { value: humanizeDuration(2 * t) })],
        },
      ],
    },
    {
      name: 'ApiLatencyP99High stays quiet: fast route, slow route under the minimum rate, slow ops route',
      interval: '1m',
      input_series: [
        // 0.5% slow: the p99 falls inside the first bucket, below the threshold.
        ...histogram(ROUTE, 1000, 0.005, 30),
        // Slow, but 2 requests a minute: below the 0.05/s a p99 needs to be trusted.
        ...histogram('/api/tasks/{task_id}', 2, 1, 30),
        // Slow probes are not user traffic.
        ...histogram('/readyz', 60, 1, 30),
        ready(30),
      ],
      alert_rule_test: [{ eval_time: '20m', alertname: 'ApiLatencyP99High', exp_alerts: [] }],
    },
  ];

  // ---- ApiErrorBudgetBurn: 1000 requests a minute, a share of them 5xx, per window pair.
  const budget = 1 - slo.availabilityTarget;
  const [fast, slow] = BURN_RATE_WINDOWS;
  const errorTraffic = (errorRatio: number, minutes: number, route = ROUTE): Series[] => {
    const errors = Math.round(1000 * errorRatio);
    return [requests(route, '200', 1000 - errors, minutes), requests(route, '500', errors, minutes)];
  };
  const burn = (window: string) => fired(rule('ApiErrorBudgetBurn', window));
  const burnTests: TestGroup[] = [
    {
      name: `ApiErrorBudgetBurn: a ${1.5 * fast.factor}x burn fires both windows after 2m`,
      interval: '1m',
      input_series: [...errorTraffic(Math.min(1, 1.5 * fast.factor * budget), 30), ready(30)],
      alert_rule_test: [
        { eval_time: '1m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [] },
        { eval_time: '10m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [burn(fast.long), burn(slow.long)] },
      ],
    },
    {
      name: `ApiErrorBudgetBurn: a ${(fast.factor + slow.factor) / 2}x burn fires only the ${slow.long} window`,
      interval: '1m',
      input_series: [...errorTraffic(((fast.factor + slow.factor) / 2) * budget, 30), ready(30)],
      alert_rule_test: [{ eval_time: '10m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [burn(slow.long)] }],
    },
    {
      name: `ApiErrorBudgetBurn stays quiet: a ${slow.factor / 2}x burn, and 5xx from the readiness probe`,
      interval: '1m',
      input_series: [...errorTraffic((slow.factor / 2) * budget, 30), requests('/readyz', '503', 600, 30), ready(30)],
      alert_rule_test: [{ eval_time: '20m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [] }],
    },
    {
      name: `ApiErrorBudgetBurn resolves ${fast.short} after the errors stop, though the ${fast.long} ratio is still high`,
      interval: '1m',
      input_series: [
        requests(ROUTE, '200', 500, 90),
        // 50% errors for 20 minutes, then none (the counter stays flat).
        { series: requests(ROUTE, '500', 0, 0).series, values: `0+500x20 10000+0x70` },
        ready(90),
      ],
      alert_rule_test: [
        { eval_time: '15m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [burn(fast.long), burn(slow.long)] },
        // 40 minutes after the last error: the 1h and 6h ratios are still above threshold, the short windows
        // (5m, 30m) are clean, so nothing fires any more.
        { eval_time: '60m', alertname: 'ApiErrorBudgetBurn', exp_alerts: [] },
      ],
    },
  ];

  // ---- ApiDbPoolSaturated: one pod's checked-out connections against its pool size.
  const pool = rule('ApiDbPoolSaturated');
  const poolSeries = (pod: string, size: number, checkedOut: string, minutes: number): Series[] => [
    { series: `db_pool_size{namespace="${ns}",pod="${pod}"}`, values: `${size}+0x${minutes}` },
    { series: `db_pool_checked_out{namespace="${ns}",pod="${pod}"}`, values: checkedOut },
  ];
  const poolSize = environment.api.dbPoolSize * environment.api.workers;
  const quiet = Math.floor(poolSize * slo.dbPoolSaturation) - 1;
  const poolTests: TestGroup[] = [
    {
      name: 'ApiDbPoolSaturated fires for the one pod whose pool is full for 10m',
      interval: '1m',
      input_series: [
        ...poolSeries(POD, poolSize, `${poolSize}+0x30`, 30),
        ...poolSeries('api-7d9f-fghij', poolSize, `${quiet}+0x30`, 30),
        ready(30),
      ],
      alert_rule_test: [
        { eval_time: '9m', alertname: 'ApiDbPoolSaturated', exp_alerts: [] },
        {
          eval_time: '15m',
          alertname: 'ApiDbPoolSaturated',
          exp_alerts: [fired(pool, { pod: POD }, { value: '100%' })],
        },
      ],
    },
    {
      name: 'ApiDbPoolSaturated stays quiet: a full pool for 5m only, then back under the threshold',
      interval: '1m',
      input_series: [...poolSeries(POD, poolSize, `${poolSize}+0x5 ${quiet}+0x25`, 30), ready(30)],
      alert_rule_test: [{ eval_time: '20m', alertname: 'ApiDbPoolSaturated', exp_alerts: [] }],
    },
  ];

  // ---- ApiAtMaxReplicas: pods counted by their db_pool_size series.
  const max = environment.api.maxReplicas;
  const pods = (count: number, minutes: number) =>
    Array.from(
      { length: count },
      (_, index) => poolSeries(`api-pod-${index}`, poolSize, '0+0x0', minutes)[0] as Series,
    );
  const atMax = rule('ApiAtMaxReplicas');
  const replicaTests: TestGroup[] = [
    {
      name: `ApiAtMaxReplicas fires after 15m at ${max} pods (the HPA maximum), not before`,
      interval: '1m',
      input_series: [...pods(max, 30), ready(30)],
      alert_rule_test: [
        { eval_time: '14m', alertname: 'ApiAtMaxReplicas', exp_alerts: [] },
        { eval_time: '20m', alertname: 'ApiAtMaxReplicas', exp_alerts: [fired(atMax, {}, { value: String(max) })] },
      ],
    },
    {
      name: `ApiAtMaxReplicas stays quiet at ${max - 1} pods`,
      interval: '1m',
      input_series: [...pods(max - 1, 30), ready(30)],
      alert_rule_test: [{ eval_time: '25m', alertname: 'ApiAtMaxReplicas', exp_alerts: [] }],
    },
  ];

  // ---- ApiNoReadyTargets: no 200 from /readyz anywhere.
  const noReady = fired(rule('ApiNoReadyTargets'));
  const readinessTests: TestGroup[] = [
    {
      name: 'ApiNoReadyTargets fires after 3m when every probe answers 503',
      interval: '1m',
      input_series: [requests('/readyz', '503', 6, 20), requests('/readyz', '200', 0, 20)],
      alert_rule_test: [
        { eval_time: '2m', alertname: 'ApiNoReadyTargets', exp_alerts: [] },
        { eval_time: '10m', alertname: 'ApiNoReadyTargets', exp_alerts: [noReady] },
      ],
    },
    {
      name: 'ApiNoReadyTargets fires when no API pod is scraped at all',
      interval: '1m',
      input_series: [{ series: `up{job="other"}`, values: '1+0x20' }],
      alert_rule_test: [{ eval_time: '10m', alertname: 'ApiNoReadyTargets', exp_alerts: [noReady] }],
    },
    {
      name: 'ApiNoReadyTargets stays quiet while one pod of several passes its probe',
      interval: '1m',
      input_series: [requests('/readyz', '503', 12, 20), ready(20)],
      alert_rule_test: [{ eval_time: '10m', alertname: 'ApiNoReadyTargets', exp_alerts: [] }],
    },
  ];

  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: [...latencyTests, ...burnTests, ...poolTests, ...replicaTests, ...readinessTests],
  };
}
