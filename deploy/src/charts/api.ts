/**
 * The API workload (Argo CD Application `api`): an Argo Rollout with an analysed canary, its stable and canary
 * Services, the ALB Ingress, HPA, PDB, the canary's AnalysisTemplate, the Alembic migration as a PreSync Job and
 * the hourly purge of expired Idempotency-Keys, and where config turns it on, the off-hours scale-down and wake-up
 * (api-off-hours.ts).
 */
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { Construct } from 'constructs';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
import { componentFile } from '../layout.ts';
import {
  appDatabaseAccess,
  bootstrapDatabaseAccess,
  type DatabaseAccess,
  migrationDatabaseAccess,
} from './api-database-credentials.ts';
import { apiOffHoursObjects } from './api-off-hours.ts';
import { API, API_METRICS, SHUTDOWN, TERMINATION_GRACE_PERIOD_SECONDS } from './api-workload.ts';
import { ADOT_COLLECTOR } from './observability.ts';

const ANALYSIS_TEMPLATE = 'api-canary-health';
/** Non-root user and group of the API image (its Dockerfile creates it with this id). */
const RUN_AS = 10001;

export class ApiChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'api', componentFile(ctx, 'api'));
    const { env } = ctx;
    const namespace = env.names.apiNamespace;
    const labels = commonLabels(ctx, API.name);
    const selector = { 'app.kubernetes.io/name': API.name };
    // The server and the purge log in as the application user; only the migration as the master (ADR 0103).
    const appDatabase = appDatabaseAccess();

    for (const name of [API.stableService, API.canaryService]) {
      // Argo Rollouts rewrites each selector to its ReplicaSet (rollouts-pod-template-hash).
      this.add<IService>({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace, labels },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [{ name: 'http', port: API.servicePort, targetPort: 'http', protocol: 'TCP' }],
        },
      });
    }

    const canaryAnalysis = {
      templates: [{ templateName: ANALYSIS_TEMPLATE }],
      args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' as const } }],
    };
    this.add<IRollout>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: API.name, namespace, labels },
      spec: {
        // No `replicas`: the HPA below owns the count.
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: { ...labels, 'app.kubernetes.io/component': 'server' },
            annotations: {
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(API.containerPort),
              'prometheus.io/path': '/metrics',
            },
          },
          spec: apiPodSpec(ctx, appDatabase, {
            terminationGracePeriodSeconds: TERMINATION_GRACE_PERIOD_SECONDS,
            topologySpreadConstraints: [
              {
                topologyKey: 'topology.kubernetes.io/zone',
                maxSkew: 1,
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: selector },
                matchLabelKeys: ['rollouts-pod-template-hash'],
              },
              {
                topologyKey: 'kubernetes.io/hostname',
                maxSkew: 1,
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: selector },
                matchLabelKeys: ['rollouts-pod-template-hash'],
              },
            ],
            containers: [
              {
                ...apiContainer(ctx, ['innovate-api', 'serve'], appDatabase),
                ports: [{ name: 'http', containerPort: API.containerPort, protocol: 'TCP' }],
                startupProbe: {
                  httpGet: { path: '/healthz', port: 'http' },
                  periodSeconds: 2,
                  failureThreshold: 30,
                },
                livenessProbe: {
                  httpGet: { path: '/healthz', port: 'http' },
                  periodSeconds: 10,
                  timeoutSeconds: 2,
                  failureThreshold: 3,
                },
                readinessProbe: {
                  httpGet: { path: '/readyz', port: 'http' },
                  periodSeconds: 5,
                  timeoutSeconds: 2,
                  failureThreshold: 2,
                },
                lifecycle: { preStop: { sleep: { seconds: SHUTDOWN.preStopSleepSeconds } } },
              },
            ],
          }),
        },
        strategy: {
          canary: {
            stableService: API.stableService,
            canaryService: API.canaryService,
            trafficRouting: { alb: { ingress: API.ingress, servicePort: API.servicePort } },
            abortScaleDownDelaySeconds: 30,
            steps: [
              { setWeight: 10 },
              { pause: { duration: '2m' } },
              { analysis: canaryAnalysis },
              { setWeight: 50 },
              { pause: { duration: '2m' } },
              { analysis: canaryAnalysis },
              { setWeight: 100 },
            ],
          },
        },
      },
    });

    this.add<IAnalysisTemplate>(analysisTemplate(ctx, namespace, labels));

    // CloudFront sends `/api/*` here. HTTPS only; the certificate is discovered in ACM by the TLS host; the ALB
    // admits only CloudFront (security group by name) and the origin-verify WAF blocks requests without the
    // secret header (names.originVerifyWebAclName, ADR 0024).
    const host = env.dns.originHost;
    this.add<IIngress>({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: API.ingress,
        namespace,
        labels,
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
          'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
          'alb.ingress.kubernetes.io/healthcheck-path': '/readyz',
          'alb.ingress.kubernetes.io/healthcheck-port': 'traffic-port',
          'alb.ingress.kubernetes.io/success-codes': '200',
          'alb.ingress.kubernetes.io/security-groups': env.names.albSecurityGroupName,
          'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
          'alb.ingress.kubernetes.io/wafv2-acl-name': env.names.originVerifyWebAclName,
          'alb.ingress.kubernetes.io/load-balancer-attributes':
            'routing.http.drop_invalid_header_fields.enabled=true,idle_timeout.timeout_seconds=60',
          'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${SHUTDOWN.preStopSleepSeconds}`,
          'alb.ingress.kubernetes.io/tags': Object.entries(env.tags)
            .map(([key, value]) => `${key}=${value}`)
            .join(','),
          'external-dns.alpha.kubernetes.io/hostname': host,
        },
      },
      spec: {
        ingressClassName: 'alb',
        tls: [{ hosts: [host] }],
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: '/api',
                  pathType: 'Prefix',
                  // `use-annotation`: Argo Rollouts writes the weighted forward action for this service.
                  backend: { service: { name: API.stableService, port: { name: 'use-annotation' } } },
                },
              ],
            },
          },
        ],
      },
    });

    this.add<IHorizontalPodAutoscaler>({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: API.name, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: API.name },
        minReplicas: env.api.minReplicas,
        maxReplicas: env.api.maxReplicas,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    });

    // maxUnavailable (not minAvailable) so a one-replica dev environment can still be drained. The server pods only:
    // the migration Job's and purge CronJob's pods share app.kubernetes.io/name, and a budget over pods of a Job
    // (no scale subresource) fails its sync with disruptionsAllowed 0, which blocks every drain (ADR 0110).
    this.add<IPodDisruptionBudget>({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: API.name, namespace, labels },
      spec: {
        maxUnavailable: 1,
        selector: { matchLabels: { ...selector, 'app.kubernetes.io/component': 'server' } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });

    const migrationDatabase = migrationDatabaseAccess();
    const bootstrapDatabase = bootstrapDatabaseAccess();
    this.add<IJob>({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'api-migrate',
        namespace,
        labels: { ...labels, 'app.kubernetes.io/component': 'migrate' },
        annotations: {
          // Before every sync of `api`: the schema moves first, then the canary starts. A failed migration
          // stops the sync; the Job stays for `kubectl logs` until the next attempt replaces it.
          'argocd.argoproj.io/hook': 'PreSync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        },
      },
      spec: {
        backoffLimit: 1,
        activeDeadlineSeconds: 600,
        template: {
          metadata: { labels: { ...labels, 'app.kubernetes.io/component': 'migrate' } },
          // The master's credentials reach the init container alone; migrations run as the migrator, acting as the
          // owner role (ADR 0129). The pod's volumes are the bootstrap's, a superset of the migration's.
          spec: apiPodSpec(ctx, bootstrapDatabase, {
            restartPolicy: 'Never',
            initContainers: [
              { ...apiContainer(ctx, ['innovate-api', 'bootstrap-roles'], bootstrapDatabase), name: 'bootstrap-roles' },
            ],
            containers: [apiContainer(ctx, ['innovate-api', 'migrate'], migrationDatabase)],
          }),
        },
      },
    });

    // Idempotency-Keys replay for 24 h (ADR 0006); afterwards the API's own command deletes them in short batches.
    // Hourly keeps the table at about a day and an hour of keys; Forbid so a slow run is never doubled.
    const purgeLabels = { ...labels, 'app.kubernetes.io/component': 'purge-idempotency-keys' };
    this.add<ICronJob>({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'api-purge-idempotency-keys', namespace, labels: purgeLabels },
      spec: {
        schedule: '17 * * * *',
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 1800,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: purgeLabels },
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 1800,
            ttlSecondsAfterFinished: 86_400,
            template: {
              metadata: { labels: purgeLabels },
              spec: apiPodSpec(ctx, appDatabase, {
                restartPolicy: 'Never',
                containers: [apiContainer(ctx, ['innovate-api', 'purge-idempotency-keys'], appDatabase)],
              }),
            },
          },
        },
      },
    });

    // The wake-up waits for the database as the application user; the scale-down's command ignores the credentials.
    for (const object of apiOffHoursObjects(ctx, {
      labels,
      podSpec: (spec) => apiPodSpec(ctx, appDatabase, spec),
      container: (command) => apiContainer(ctx, command, appDatabase),
    })) {
      this.add(object);
    }
  }
}

/** Pod-level settings shared by the server and the jobs: identity, security context, volumes. */
function apiPodSpec(ctx: DeployContext, database: DatabaseAccess, spec: IPodSpec): IPodSpec {
  return {
    serviceAccountName: ctx.env.names.apiServiceAccount,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: RUN_AS,
      runAsGroup: RUN_AS,
      fsGroup: RUN_AS,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }, ...database.volumes],
    ...spec,
  };
}

/** The container every API pod runs: same image digest, env, resources and restricted security context. */
function apiContainer(ctx: DeployContext, command: string[], database: DatabaseAccess): IContainer {
  const { api } = ctx.env;
  return {
    name: API.name,
    image: ctx.apiImage.reference,
    imagePullPolicy: 'IfNotPresent',
    command,
    env: [
      { name: 'API_BIND', value: `0.0.0.0:${API.containerPort}` },
      // Reported at /api/version: the delivery waits until the environment's URL serves this digest (ADR 0097).
      { name: 'API_IMAGE_DIGEST', value: ctx.apiImage.digest },
      { name: 'API_WORKERS', value: String(api.workers) },
      { name: 'API_THREADS', value: String(api.threads) },
      { name: 'API_DRAIN_SECONDS', value: String(SHUTDOWN.drainSeconds) },
      { name: 'API_GRACEFUL_TIMEOUT_SECONDS', value: String(SHUTDOWN.gunicornGracefulTimeoutSeconds) },
      { name: 'DB_POOL_SIZE', value: String(api.dbPoolSize) },
      // RDS-style settings (api/README.md): TLS verify-full against the CA bundle baked into the image, and the
      // credentials as a file read at every new connection (DB_SECRET_FILE), so a rotation needs no restart.
      ...database.env,
      { name: 'DB_NAME', value: ctx.env.names.databaseName },
      { name: 'DB_SSLMODE', value: 'verify-full' },
      { name: 'DB_SSLROOTCERT', value: API.rdsCaBundle },
      { name: 'OTEL_SERVICE_NAME', value: `${ctx.env.tags.app}-api` },
      // The one place that samples traces (the API's SDK, parent-based); the collector forwards every span it gets.
      { name: 'TRACE_SAMPLE_RATIO', value: String(ctx.env.observability.traceSampleRatio) },
      {
        name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
        value: `http://${ADOT_COLLECTOR.name}.${ctx.env.names.podIdentityServiceAccounts.adotCollector.namespace}:${ADOT_COLLECTOR.otlpHttpPort}`,
      },
      { name: 'TMPDIR', value: API.tmpDir },
      // Access tokens must come from this issuer for this client; `serve` refuses to start without them.
      ...['AUTH_ISSUER', 'AUTH_CLIENT_ID'].map((name) => ({
        name,
        valueFrom: { secretKeyRef: { name: API.signInSecret, key: name } },
      })),
    ],
    resources: {
      requests: { cpu: api.resources.cpuRequest, memory: api.resources.memoryRequest },
      limits: { cpu: api.resources.cpuLimit, memory: api.resources.memoryLimit },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: 'tmp', mountPath: API.tmpDir }, ...database.volumeMounts],
  };
}

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
function analysisTemplate(ctx: DeployContext, namespace: string, labels: Record<string, string>): IAnalysisTemplate {
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
