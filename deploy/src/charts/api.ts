/**
 * The API workload (Argo CD Application `api`): an Argo Rollout with an analysed canary, its stable and canary
 * Services, the ALB Ingress, HPA, PDB, the canary's AnalysisTemplate, the Alembic migration as a PreSync Job and
 * the hourly purge of expired Idempotency-Keys, and where config turns it on, the off-hours scale-down and wake-up.
 * Each part is built in the file named after it; this chart lists them in the order they are rendered.
 */
import type { Construct } from 'constructs';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
import { componentFile } from '../layout.ts';
import { apiAutoscaler, apiDisruptionBudget } from './api-autoscaling.ts';
import { analysisTemplate } from './api-canary-analysis.ts';
import { appDatabaseAccess } from './api-database-credentials.ts';
import { apiIdempotencyKeyPurge } from './api-idempotency-key-purge.ts';
import { apiIngress } from './api-ingress.ts';
import { apiMigrationJob } from './api-migration-job.ts';
import { apiOffHoursObjects } from './api-off-hours.ts';
import { apiContainer, apiPodSpec } from './api-pod.ts';
import { apiRollout } from './api-rollout.ts';
import { apiServices } from './api-services.ts';
import { API } from './api-workload.ts';

export class ApiChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'api', componentFile(ctx, 'api'));
    const labels = commonLabels(ctx, API.name);
    // The server and the purge log in as the application user; only the migration as the master (ADR 0103).
    const appDatabase = appDatabaseAccess();
    const parts = [
      ...apiServices(ctx, labels),
      apiRollout(ctx, labels, appDatabase),
      analysisTemplate(ctx, labels),
      apiIngress(ctx, labels),
      apiAutoscaler(ctx, labels),
      apiDisruptionBudget(ctx, labels),
      apiMigrationJob(ctx, labels),
      apiIdempotencyKeyPurge(ctx, labels, appDatabase),
      // The wake-up waits for the database as the application user; the scale-down's command ignores the credentials.
      ...apiOffHoursObjects(ctx, {
        labels,
        podSpec: (spec) => apiPodSpec(ctx, appDatabase, spec),
        container: (command) => apiContainer(ctx, command, appDatabase),
      }),
    ];
    for (const part of parts) this.add(part);
  }
}
