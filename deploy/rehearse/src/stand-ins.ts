/**
 * What controllers the rehearsal does not run would create, so that the built-in controllers, the scheduler and
 * kwok have real pods to work on:
 * - Argo Rollouts: the stable ReplicaSet of each Rollout (its pod template, `rollouts-pod-template-hash` label,
 *   owned by the Rollout), at the HPA's minReplicas as the HPA would scale it;
 * - the CronJob controller's first run of each CronJob (as `kubectl create job --from=cronjob/...`), so its pods are
 *   scheduled and seen by every PodDisruptionBudget that selects them.
 */
import { createHash } from 'node:crypto';
import type { KubeClient, KubeObject } from './kube-client.ts';

interface Rollout extends KubeObject {
  metadata: KubeObject['metadata'] & { uid: string };
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> }; spec: unknown };
  };
}

interface Hpa extends KubeObject {
  spec: { minReplicas?: number; scaleTargetRef: { apiVersion?: string; kind: string; name: string } };
}

const owner = (object: KubeObject & { metadata: { uid?: string } }) => [
  {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    uid: object.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  },
];

export async function rolloutReplicaSets(client: KubeClient, namespaces: string[]): Promise<string[]> {
  const created: string[] = [];
  for (const namespace of namespaces) {
    let rollouts: Rollout[];
    try {
      rollouts = await client.list<Rollout>('argoproj.io/v1alpha1', 'Rollout', namespace);
    } catch {
      continue;
    }
    const hpas = await client.list<Hpa>('autoscaling/v2', 'HorizontalPodAutoscaler', namespace);
    for (const rollout of rollouts) {
      // The Rollouts controller's first act: a Rollout without replicas gets 1, or the HPA cannot read its scale.
      if (rollout.spec.replicas === undefined) {
        await client.call(
          'PATCH',
          `${await client.path(rollout.apiVersion, rollout.kind, namespace, rollout.metadata.name)}?fieldManager=rollouts-controller`,
          { spec: { replicas: 1 } },
          'application/merge-patch+json',
        );
        created.push(`Rollout ${namespace}/${rollout.metadata.name}: spec.replicas defaulted to 1`);
      }
      const template = rollout.spec.template;
      if (!template) continue;
      const hpa = hpas.find(
        (h) => h.spec.scaleTargetRef.kind === 'Rollout' && h.spec.scaleTargetRef.name === rollout.metadata.name,
      );
      const replicas = hpa?.spec.minReplicas ?? rollout.spec.replicas ?? 1;
      const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
      const labels = { ...template.metadata?.labels, 'rollouts-pod-template-hash': hash };
      const name = `${rollout.metadata.name}-${hash}`;
      await client.apply({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name, namespace, labels, ownerReferences: owner(rollout) },
        spec: {
          replicas,
          selector: { matchLabels: { ...rollout.spec.selector.matchLabels, 'rollouts-pod-template-hash': hash } },
          template: { ...template, metadata: { ...template.metadata, labels } },
        },
      });
      created.push(`ReplicaSet ${namespace}/${name} (${replicas} replicas) for Rollout ${rollout.metadata.name}`);
    }
  }
  return created;
}

interface CronJob extends KubeObject {
  metadata: KubeObject['metadata'] & { uid: string };
  spec: {
    jobTemplate: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: unknown;
    };
  };
}

export async function cronJobRuns(client: KubeClient, namespaces: string[]): Promise<string[]> {
  const created: string[] = [];
  for (const namespace of namespaces) {
    for (const cronJob of await client.list<CronJob>('batch/v1', 'CronJob', namespace)) {
      const name = `${cronJob.metadata.name}-rehearsal`.slice(0, 63);
      if (await client.get('batch/v1', 'Job', name, namespace)) continue;
      await client.create({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name,
          namespace,
          labels: cronJob.spec.jobTemplate.metadata?.labels,
          annotations: {
            ...cronJob.spec.jobTemplate.metadata?.annotations,
            'cronjob.kubernetes.io/instantiate': 'manual',
          },
          ownerReferences: owner(cronJob),
        },
        spec: cronJob.spec.jobTemplate.spec,
      });
      created.push(`Job ${namespace}/${name} from CronJob ${cronJob.metadata.name}`);
    }
  }
  return created;
}
