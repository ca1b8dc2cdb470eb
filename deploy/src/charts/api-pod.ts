/**
 * The pod and container every API workload runs (the server, the migration, the purge, the off-hours jobs): one
 * image digest, environment, resources, identity and restricted security context, so no job drifts from the server.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { DeployContext } from '../context.ts';
import type { DatabaseAccess } from './api-database-credentials.ts';
import { API, SHUTDOWN } from './api-workload.ts';
import { ADOT_COLLECTOR } from './observability.ts';

/** Non-root user and group of the API image (its Dockerfile creates it with this id). */
const RUN_AS = 10001;

/** Pod-level settings shared by the server and the jobs: identity, security context, volumes. */
export function apiPodSpec(ctx: DeployContext, database: DatabaseAccess, spec: IPodSpec): IPodSpec {
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
export function apiContainer(ctx: DeployContext, command: string[], database: DatabaseAccess): IContainer {
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
