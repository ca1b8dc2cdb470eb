import type { IService } from 'kubernetes-models/v1/Service';
import type { DeployContext } from '../context.ts';
import { API } from './api-workload.ts';

/**
 * The stable and the canary Service the Rollout splits traffic between. Both select every API pod here; Argo
 * Rollouts rewrites each selector to its ReplicaSet (rollouts-pod-template-hash).
 */
export function apiServices(ctx: DeployContext, labels: Record<string, string>): IService[] {
  return [API.stableService, API.canaryService].map((name) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ctx.env.names.apiNamespace, labels },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': API.name },
      ports: [{ name: 'http', port: API.servicePort, targetPort: 'http', protocol: 'TCP' }],
    },
  }));
}
