/**
 * The order Argo CD applies a render in, as the rehearsal replays it: the root Application's objects first, then
 * every child Application in sync-wave order; inside one Application's sync, PreSync hooks first, then the Sync phase
 * by wave, then by Argo CD's kind order (gitops-engine's `kindOrder`, taken from Helm's install order), then by name.
 */
import type { KubeObject } from './kube-client.ts';

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';
export const HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';

/** gitops-engine pkg/sync/sync_tasks.go kindOrder: kinds not listed go last. */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

export function syncWave(object: KubeObject): number {
  const value = object.metadata.annotations?.[SYNC_WAVE];
  if (value === undefined) return 0;
  const wave = Number(value);
  if (!Number.isInteger(wave)) throw new Error(`${describe(object)}: ${SYNC_WAVE} "${value}" is not an integer`);
  return wave;
}

export type Phase = 'PreSync' | 'Sync' | 'PostSync';

export function phaseOf(object: KubeObject): Phase | 'Skip' {
  const hook = object.metadata.annotations?.[HOOK];
  if (hook === undefined) return 'Sync';
  const phases = hook.split(',').map((h) => h.trim());
  if (phases.includes('Skip')) return 'Skip';
  for (const phase of ['PreSync', 'Sync', 'PostSync'] as const) if (phases.includes(phase)) return phase;
  throw new Error(
    `${describe(object)}: hook "${hook}" is not one the rehearsal replays (PreSync, Sync, PostSync, Skip)`,
  );
}

function kindRank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index === -1 ? KIND_ORDER.length : index;
}

/** One Application's objects in the order its sync applies them (Skip hooks left out). */
export function syncOrder(objects: KubeObject[]): { phase: Phase; wave: number; object: KubeObject }[] {
  const phaseRank: Record<Phase, number> = { PreSync: 0, Sync: 1, PostSync: 2 };
  return objects
    .flatMap((object) => {
      const phase = phaseOf(object);
      return phase === 'Skip' ? [] : [{ phase, wave: syncWave(object), object }];
    })
    .sort(
      (a, b) =>
        phaseRank[a.phase] - phaseRank[b.phase] ||
        a.wave - b.wave ||
        kindRank(a.object.kind) - kindRank(b.object.kind) ||
        a.object.metadata.name.localeCompare(b.object.metadata.name),
    );
}

export interface ApplicationSpec {
  project: string;
  source: { repoURL: string; path?: string; chart?: string; targetRevision: string; directory?: { recurse?: boolean } };
  destination: { server: string; namespace?: string };
  syncPolicy?: { syncOptions?: string[] };
}

export interface Application extends KubeObject {
  spec: ApplicationSpec;
}

/** The root's child Applications in the order their sync waves give (then by name, as Argo CD does). */
export function applicationOrder(objects: KubeObject[]): Application[] {
  return objects
    .filter((o): o is Application => o.apiVersion.startsWith('argoproj.io/') && o.kind === 'Application')
    .sort((a, b) => syncWave(a) - syncWave(b) || a.metadata.name.localeCompare(b.metadata.name));
}

export function describe(object: KubeObject): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind} ${ns}${object.metadata.name}`;
}

/** Identity of an object across renders (group, kind, namespace, name). */
export function objectKey(object: KubeObject): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return `${group}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
