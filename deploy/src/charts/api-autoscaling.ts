import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { DeployContext } from '../context.ts';
import { API } from './api-workload.ts';

/** The server's replica count, between the environment's minimum and maximum, on CPU; it owns the Rollout's replicas. */
export function apiAutoscaler(ctx: DeployContext, labels: Record<string, string>): IHorizontalPodAutoscaler {
  const { env } = ctx;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: API.name, namespace: env.names.apiNamespace, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: API.name },
      minReplicas: env.api.minReplicas,
      maxReplicas: env.api.maxReplicas,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

/**
 * maxUnavailable (not minAvailable) so a one-replica dev environment can still be drained. The server pods only:
 * the migration Job's and purge CronJob's pods share app.kubernetes.io/name, and a budget over pods of a Job
 * (no scale subresource) fails its sync with disruptionsAllowed 0, which blocks every drain (ADR 0110).
 */
export function apiDisruptionBudget(ctx: DeployContext, labels: Record<string, string>): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: API.name, namespace: ctx.env.names.apiNamespace, labels },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': API.name, 'app.kubernetes.io/component': 'server' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}
