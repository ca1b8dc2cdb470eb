/**
 * The in-cluster telemetry path: the API pushes OTLP traces to the ADOT collector and exposes Prometheus metrics
 * that the collector scrapes and remote-writes to AMP (SigV4); traces go to X-Ray.
 */
export const ADOT_COLLECTOR = {
  /** `app.kubernetes.io/name` of the collector's pods (NetworkPolicies select it). */
  name: 'adot-collector',
  otlpGrpcPort: 4317,
  otlpHttpPort: 4318,
} as const;

/**
 * The Secret (synced from Secrets Manager into the observability namespace) that holds the AMP workspace's endpoint:
 * the collector remote-writes to it and Grafana's datasource reads from it.
 */
export const AMP_ENDPOINT_SECRET = 'amp-endpoint';
