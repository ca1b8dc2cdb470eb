import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { DeployContext } from '../context.ts';
import { migrationDatabaseAccess } from './api-database-credentials.ts';
import { apiContainer, apiPodSpec } from './api-pod.ts';

/**
 * The Alembic migration as Argo CD's PreSync hook: before every sync of `api` the schema moves first, then the
 * canary starts. A failed migration stops the sync; the Job stays for `kubectl logs` until the next attempt
 * replaces it.
 */
export function apiMigrationJob(ctx: DeployContext, labels: Record<string, string>): IJob {
  const migrationDatabase = migrationDatabaseAccess();
  const jobLabels = { ...labels, 'app.kubernetes.io/component': 'migrate' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'api-migrate',
      namespace: ctx.env.names.apiNamespace,
      labels: jobLabels,
      annotations: {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      },
    },
    spec: {
      backoffLimit: 1,
      activeDeadlineSeconds: 600,
      template: {
        metadata: { labels: jobLabels },
        // Migrations run as the migrator, acting as the owner role (ADR 0129). The roles they need were made by the
        // data stack's bootstrap in AWS (ADR 0158): the master's credentials never reach this namespace.
        spec: apiPodSpec(ctx, migrationDatabase, {
          restartPolicy: 'Never',
          containers: [apiContainer(ctx, ['innovate-api', 'migrate'], migrationDatabase)],
        }),
      },
    },
  };
}
