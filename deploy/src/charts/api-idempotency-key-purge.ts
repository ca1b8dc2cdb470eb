import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { DeployContext } from '../context.ts';
import type { DatabaseAccess } from './api-database-credentials.ts';
import { apiContainer, apiPodSpec } from './api-pod.ts';

/**
 * Idempotency-Keys replay for 24 h (ADR 0006); afterwards the API's own command deletes them in short batches.
 * Hourly keeps the table at about a day and an hour of keys; Forbid so a slow run is never doubled.
 */
export function apiIdempotencyKeyPurge(
  ctx: DeployContext,
  labels: Record<string, string>,
  database: DatabaseAccess,
): ICronJob {
  const purgeLabels = { ...labels, 'app.kubernetes.io/component': 'purge-idempotency-keys' };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'api-purge-idempotency-keys', namespace: ctx.env.names.apiNamespace, labels: purgeLabels },
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
            spec: apiPodSpec(ctx, database, {
              restartPolicy: 'Never',
              containers: [apiContainer(ctx, ['innovate-api', 'purge-idempotency-keys'], database)],
            }),
          },
        },
      },
    },
  };
}
