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
