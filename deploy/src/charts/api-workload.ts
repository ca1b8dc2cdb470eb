/**
 * Constants of the API workload that more than one object must agree on (the Rollout, its Services, the Ingress,
 * the NetworkPolicies, the PreSync Job). Sizes are not here: they come from `env.api` in the platform config.
 */
export const API = {
  name: 'api',
  /** Container port gunicorn binds (`API_BIND=0.0.0.0:8000`). */
  containerPort: 8000,
  /** Port of the stable/canary Services the ALB target groups point at. */
  servicePort: 80,
  stableService: 'api-stable',
  canaryService: 'api-canary',
  ingress: 'api',
  /** Secret holding the AMP workspace endpoint the canary analysis queries. */
  ampEndpointSecret: 'amp-endpoint',
  /** Secret holding AUTH_ISSUER and AUTH_CLIENT_ID, synced from the environment's sign-in parameters. */
  signInSecret: 'api-sign-in',
  /**
   * The ClusterSecretStore over SSM Parameter Store (the sign-in parameters are String parameters, not secrets);
   * the platform chart defines it beside the Secrets Manager one.
   */
  parameterStore: 'aws-parameter-store',
  /** The writable scratch directory; the root filesystem is read-only. */
  tmpDir: '/tmp',
  /**
   * The RDS CA bundle inside the API image (api/Dockerfile copies it here; a drift test in .github/tests compares
   * the two): the API verifies the database's certificate and host name against it (`DB_SSLMODE=verify-full`).
   */
  rdsCaBundle: '/etc/ssl/rds/global-bundle.pem',
} as const;

/**
 * Shutdown timing (requirements EKS-3, DEL-3: no dropped requests on deploys and node drains). A terminating pod leaves the
 * Service endpoints at once, and the Load Balancer Controller deregisters it from the ALB; during the preStop sleep
 * the pod keeps serving while that propagates. Then SIGTERM: the API answers /readyz with 503 but still serves for
 * API_DRAIN_SECONDS, closes its listener, and gunicorn finishes in-flight requests within
 * API_GRACEFUL_TIMEOUT_SECONDS (the API's own settings, api/src/innovate_api/settings.py). The grace period covers
 * all of it plus a margin, so the kubelet never SIGKILLs a healthy drain.
 */
export const SHUTDOWN = {
  /** Longer than the ALB's deregistration propagation; the target group's deregistration delay matches it. */
  preStopSleepSeconds: 15,
  /** API_DRAIN_SECONDS: readiness 503 while still serving, after SIGTERM. */
  drainSeconds: 5,
  /** API_GRACEFUL_TIMEOUT_SECONDS: gunicorn's `graceful_timeout`. */
  gunicornGracefulTimeoutSeconds: 30,
  marginSeconds: 5,
} as const;

export const TERMINATION_GRACE_PERIOD_SECONDS =
  SHUTDOWN.preStopSleepSeconds +
  SHUTDOWN.drainSeconds +
  SHUTDOWN.gunicornGracefulTimeoutSeconds +
  SHUTDOWN.marginSeconds;

/**
 * The API's own Prometheus metrics the canary analysis reads (exposed on `/metrics`, scraped by the ADOT
 * collector, remote-written to AMP). The collector turns the pod label `rollouts-pod-template-hash` into the
 * metric label `rollouts_pod_template_hash`, which is how a query isolates the canary's pods.
 */
export const API_METRICS = {
  requestsTotal: 'http_requests_total',
  requestDurationBucket: 'http_request_duration_seconds_bucket',
  statusLabel: 'status',
  /** Canary gates (ADR 0063). */
  minSuccessRate: 0.99,
  maxP99Seconds: 0.5,
} as const;
