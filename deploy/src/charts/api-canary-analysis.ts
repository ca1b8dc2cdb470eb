/**
 * The canary's analysis (requirement DEL-3): success rate and p99 latency of the canary's own pods, measured from
 * AMP by each analysis step of the Rollout (api-rollout.ts).
 */
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { DeployContext } from '../context.ts';
import { API, API_METRICS } from './api-workload.ts';

/** The AnalysisTemplate each canary step of the Rollout runs. */
export const ANALYSIS_TEMPLATE = 'api-canary-health';

/**
 * The canary analysis' two queries over a selector of one side's pods: the AnalysisTemplate asks them of the
 * canary, the generated Canary dashboard (deploy/src/dashboards/) of canary and stable side by side.
 */
export function analysisQueries(selector: string): { successRate: string; p99Latency: string } {
  const { requestsTotal, requestDurationBucket, statusLabel } = API_METRICS;
  const requests = (s: string) => `sum(rate(${requestsTotal}{${s}}[2m]))`;
  return {
    // No canary series at all gives an empty vector and no request in the window gives NaN (0/0): both stay
    // no data (Inconclusive); nothing like `or vector(1)` invents a value. Requests without any non-5xx
    // series are a true 0, not missing data: the numerator falls back to the denominator times 0, which is
    // itself empty when there was no request.
    successRate: `(${requests(`${selector},${statusLabel}!~"5.."`)} or (${requests(selector)} * 0)) / ${requests(selector)}`,
    p99Latency: `histogram_quantile(0.99, sum by (le) (rate(${requestDurationBucket}{${selector}}[2m])))`,
  };
}

/**
 * Success rate and p99 latency of the canary's own pods, from AMP over SigV4 (the Argo Rollouts controller's
 * Pod Identity role allows aps:QueryMetrics). Two failed measurements abort the rollout; traffic returns to stable.
 * A measurement passes only on a measured value (ADR 0104): no series or NaN is Inconclusive (two of them pause the
 * rollout for a person), and a query error is an Error (three in a row abort it). Nothing promotes on missing data.
 */
export function analysisTemplate(ctx: DeployContext, labels: Record<string, string>): IAnalysisTemplate {
  const namespace = ctx.env.names.apiNamespace;
  const canary = analysisQueries(`namespace="${namespace}",rollouts_pod_template_hash="{{args.canary-hash}}"`);
  const prometheus = (query: string) => ({
    address: '{{args.amp-endpoint}}',
    query,
    authentication: { sigv4: { region: ctx.env.region } },
  });
  // Argo Rollouts decides a measurement with the expr language over `result` (a list of floats). A value is judged
  // only when there is one: without a failureCondition an unmet successCondition would be Failed, and an empty or
  // NaN result must be neither Successful nor Failed but Inconclusive.
  const measured = 'len(result) > 0 && !isNaN(result[0])';
  const gate = (pass: string, fail: string) => ({
    successCondition: `${measured} && result[0] ${pass}`,
    failureCondition: `${measured} && result[0] ${fail}`,
  });
  const limits = {
    failureLimit: 1,
    // One empty window (a missed scrape) is tolerated; two mean the pipeline is broken: the run ends Inconclusive
    // and the Rollout pauses until a person promotes or aborts it.
    inconclusiveLimit: 1,
    // Errors are retried every 10 s and do not count towards `count`; the third in a row ends the run in Error,
    // which aborts the rollout like a failure (the controller's default would wait for the fifth).
    consecutiveErrorLimit: 2,
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: ANALYSIS_TEMPLATE, namespace, labels },
    spec: {
      args: [
        // Passed by each Rollout analysis step (podTemplateHashValue: Latest).
        { name: 'canary-hash' },
        { name: 'amp-endpoint', valueFrom: { secretKeyRef: { name: API.ampEndpointSecret, key: 'endpoint' } } },
      ],
      metrics: [
        {
          name: 'success-rate',
          interval: '1m',
          count: 3,
          ...limits,
          ...gate(`>= ${API_METRICS.minSuccessRate}`, `< ${API_METRICS.minSuccessRate}`),
          provider: { prometheus: prometheus(canary.successRate) },
        },
        {
          name: 'p99-latency',
          interval: '1m',
          count: 3,
          ...limits,
          // +Inf (the quantile lies beyond the largest bucket) is a measured value and fails the gate.
          ...gate(`<= ${API_METRICS.maxP99Seconds}`, `> ${API_METRICS.maxP99Seconds}`),
          provider: { prometheus: prometheus(canary.p99Latency) },
        },
      ],
    },
  };
}
