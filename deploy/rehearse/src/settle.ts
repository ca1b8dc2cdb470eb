/**
 * What the rehearsal waits for once a render is synced, and what fails it:
 * - a pod the scheduler cannot place on the simulated NodePool and system nodes (its FailedScheduling message);
 * - a ReplicaSet or Job whose controller cannot create its pods (admission: Pod Security, service accounts, ...);
 * - a PodDisruptionBudget whose `disruptionsAllowed` stays 0 while every pod it selects is running and ready: it
 *   blocks node drains and Karpenter consolidation (the disruption controller's condition says why);
 * - a HorizontalPodAutoscaler that cannot read its target's scale subresource (AbleToScale False).
 */
import type { KubeClient, KubeObject } from './kube-client.ts';
import { waitFor } from './wait.ts';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface Pod extends KubeObject {
  metadata: KubeObject['metadata'] & { ownerReferences?: { kind: string; name: string }[] };
  status?: { phase?: string; conditions?: Condition[] };
}

interface Pdb extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  spec: {
    selector?: {
      matchLabels?: Record<string, string>;
      matchExpressions?: { key: string; operator: string; values?: string[] }[];
    };
  };
  status?: {
    observedGeneration?: number;
    disruptionsAllowed?: number;
    currentHealthy?: number;
    expectedPods?: number;
    conditions?: Condition[];
  };
}

const SETTLE_MS = 20_000;
const HPA_SETTLE_MS = 45_000;

function selectorString(selector: Pdb['spec']['selector']): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = `(${(e.values ?? []).join(',')})`;
    if (e.operator === 'In') parts.push(`${e.key} in ${values}`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin ${values}`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

const ready = (pod: Pod) =>
  pod.status?.phase === 'Running' && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const owners = (pod: Pod) =>
  (pod.metadata.ownerReferences ?? []).map((o) => `${o.kind} ${o.name}`).join(', ') || 'no owner';

async function events(client: KubeClient, namespace: string, kind: string, name: string): Promise<string> {
  const list = await client.list<
    KubeObject & { involvedObject: { kind: string; name: string }; reason: string; message: string }
  >('v1', 'Event', namespace);
  const mine = list.filter(
    (e) => e.involvedObject.kind === kind && e.involvedObject.name === name && e.reason.startsWith('Failed'),
  );
  return mine.map((e) => `${e.reason}: ${e.message}`).slice(-1)[0] ?? '';
}

export async function settle(
  client: KubeClient,
  namespaces: string[],
): Promise<{ problems: string[]; summary: string[] }> {
  const problems: string[] = [];
  const summary: string[] = [];
  for (const namespace of namespaces) {
    // Controllers create pods; the scheduler binds them; kwok runs them.
    const workloads = [
      ...(await client.list('apps/v1', 'ReplicaSet', namespace)),
      ...(await client.list('batch/v1', 'Job', namespace)),
    ];
    const ownsPod = (workload: KubeObject, list: Pod[]) =>
      list.some((p) =>
        p.metadata.ownerReferences?.some((o) => o.kind === workload.kind && o.name === workload.metadata.name),
      );
    let pods: Pod[] = [];
    try {
      pods = await waitFor(`pods of ${namespace} to be scheduled`, SETTLE_MS, async () => {
        const list = await client.list<Pod>('v1', 'Pod', namespace);
        const placed = list.every((p) =>
          p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'True'),
        );
        return placed && workloads.every((w) => ownsPod(w, list)) ? list : undefined;
      });
    } catch {
      pods = await client.list<Pod>('v1', 'Pod', namespace);
    }
    for (const pod of pods) {
      const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (scheduled?.status !== 'True')
        problems.push(
          `Pod ${namespace}/${pod.metadata.name} (${owners(pod)}) cannot be scheduled on the NodePools' nodes: ${scheduled?.message ?? 'not scheduled'}`,
        );
    }
    for (const workload of workloads) {
      if (!ownsPod(workload, pods)) {
        const why = await events(client, namespace, workload.kind, workload.metadata.name);
        problems.push(`${workload.kind} ${namespace}/${workload.metadata.name} created no pod${why ? `: ${why}` : ''}`);
      }
    }
    summary.push(`${namespace}: ${pods.length} pods on simulated nodes`);

    for (const pdb of await client.list<Pdb>('policy/v1', 'PodDisruptionBudget', namespace)) {
      const selector = selectorString(pdb.spec.selector);
      let last: Pdb | undefined;
      let selected: Pod[] = [];
      try {
        await waitFor(`PodDisruptionBudget ${namespace}/${pdb.metadata.name}`, SETTLE_MS, async () => {
          last = await client.get<Pdb>('policy/v1', 'PodDisruptionBudget', pdb.metadata.name, namespace);
          selected = await client.list<Pod>('v1', 'Pod', namespace, selector);
          const running = selected.filter((p) => p.status?.phase === 'Running');
          const observed = (last?.status?.observedGeneration ?? 0) >= (last?.metadata.generation ?? 1);
          if (!observed || running.length === 0 || !running.every(ready)) return undefined;
          return (last?.status?.disruptionsAllowed ?? 0) > 0 ? true : undefined;
        });
        summary.push(
          `PodDisruptionBudget ${namespace}/${pdb.metadata.name}: disruptionsAllowed ${last?.status?.disruptionsAllowed}`,
        );
      } catch {
        const condition = last?.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
        const running = selected.filter((p) => p.status?.phase === 'Running');
        if (running.length > 0 && running.every(ready))
          problems.push(
            `PodDisruptionBudget ${namespace}/${pdb.metadata.name}: disruptionsAllowed ${last?.status?.disruptionsAllowed ?? 0} while its ${running.length} running pods are ready (${condition?.reason ?? '?'}: ${condition?.message ?? ''}); selects ${selected.map((p) => `${p.metadata.name} (${owners(p)})`).join('; ')}`,
          );
        else
          problems.push(
            `PodDisruptionBudget ${namespace}/${pdb.metadata.name}: selects no running, ready pod (selector ${selector})`,
          );
      }
    }

    for (const hpa of await client.list<KubeObject & { status?: { conditions?: Condition[] } }>(
      'autoscaling/v2',
      'HorizontalPodAutoscaler',
      namespace,
    )) {
      let able: Condition | undefined;
      try {
        // kube-controller-manager resets its discovery cache every 30 s: a CRD kind may be unknown to the HPA
        // controller until then, so only the answer after that window counts.
        await waitFor(`HorizontalPodAutoscaler ${namespace}/${hpa.metadata.name}`, HPA_SETTLE_MS, async () => {
          const live = await client.get<typeof hpa>(
            'autoscaling/v2',
            'HorizontalPodAutoscaler',
            hpa.metadata.name,
            namespace,
          );
          able = live?.status?.conditions?.find((c) => c.type === 'AbleToScale');
          return able?.status === 'True' ? true : undefined;
        });
        summary.push(`HorizontalPodAutoscaler ${namespace}/${hpa.metadata.name}: AbleToScale`);
      } catch (error) {
        problems.push(
          `HorizontalPodAutoscaler ${namespace}/${hpa.metadata.name} cannot scale its target: ${able ? `${able.reason}: ${able.message}` : (error as Error).message}`,
        );
      }
    }
  }
  return { problems, summary };
}
