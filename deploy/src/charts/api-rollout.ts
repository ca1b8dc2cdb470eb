import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { DeployContext } from '../context.ts';
import { ANALYSIS_TEMPLATE } from './api-canary-analysis.ts';
import type { DatabaseAccess } from './api-database-credentials.ts';
import { apiContainer, apiPodSpec } from './api-pod.ts';
import { API, SHUTDOWN, TERMINATION_GRACE_PERIOD_SECONDS } from './api-workload.ts';

/**
 * The API server as an Argo Rollout: pods spread over zones and nodes, probes, a drain before shutdown, and an
 * analysed canary (10 % then 50 %, each followed by the canary analysis) behind the ALB Ingress.
 */
export function apiRollout(ctx: DeployContext, labels: Record<string, string>, database: DatabaseAccess): IRollout {
  const selector = { 'app.kubernetes.io/name': API.name };
  const canaryAnalysis = {
    templates: [{ templateName: ANALYSIS_TEMPLATE }],
    args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' as const } }],
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: API.name, namespace: ctx.env.names.apiNamespace, labels },
    spec: {
      // No `replicas`: the HPA (api-autoscaling.ts) owns the count.
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
        spec: apiPodSpec(ctx, database, {
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
              ...apiContainer(ctx, ['innovate-api', 'serve'], database),
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
  };
}
