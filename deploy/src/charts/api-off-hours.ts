/**
 * The API's half of the off-hours schedule (config `costPolicy.offHours`, requirement COST-3): two CronJobs in the
 * API's namespace, created only where the schedule is on.
 *
 * - `api-off-hours-sleep`, every day at `stop` (like the database's stop): the Rollout's replicas to 0. The HPA stops
 *   acting on a target at zero, Karpenter's consolidation then removes the emptied nodes, and EventBridge Scheduler
 *   shrinks the system node group to its night size at the same minute.
 * - `api-off-hours-wake`, on workdays `apiWakeDelayMinutes` after `start` (when the database and the system nodes
 *   were started): waits until the database answers `SELECT 1`, then sets the replicas to the HPA's minimum, from
 *   which the HPA takes over again. Its pod has no toleration for the system nodes, so Karpenter launches the node
 *   the API then runs on.
 *
 * Both run the API's own image (`innovate-api scale-api`): it is the one image the namespace admits and verifies.
 * Argo CD does not undo them: the Rollout's render has no `replicas` (the HPA owns it) and the Application ignores
 * `/spec/replicas` (gitops.ts). Their service account may patch the scale of that one Rollout and nothing else.
 */
import { clockAfter, type OffHours } from '@innovate/config';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { DeployContext } from '../context.ts';
import { API } from './api-workload.ts';

export const OFF_HOURS = {
  serviceAccount: 'api-off-hours',
  sleepJob: 'api-off-hours-sleep',
  wakeJob: 'api-off-hours-wake',
  /** How long the wake-up Job waits for the database: RDS usually starts in 5-10 minutes. */
  databaseWaitSeconds: 1200,
} as const;

/** Kubernetes cron (minute hour day month weekday) at `clock`; `days` are config's MON..SUN, which it accepts. */
export function kubernetesCron(clock: string, days: readonly string[] | '*'): string {
  const [hour, minute] = clock.split(':').map(Number);
  return `${minute} ${hour} * * ${days === '*' ? '*' : days.join(',')}`;
}

/** The two schedules, from config: sleep at stop every day, wake on workdays after start. */
export function offHoursSchedules(offHours: OffHours): { sleep: string; wake: string } {
  return {
    sleep: kubernetesCron(offHours.stop, '*'),
    wake: kubernetesCron(clockAfter(offHours.start, offHours.apiWakeDelayMinutes), offHours.workdays),
  };
}

export interface OffHoursObjectsProps {
  labels: Record<string, string>;
  /** The API's pod spec with the database access the command needs (api.ts `apiPodSpec`). */
  podSpec: (spec: IPodSpec) => IPodSpec;
  /** The API's container running `command` (api.ts `apiContainer`). */
  container: (command: string[]) => IContainer;
}

type OffHoursObject = IServiceAccount | IRole | IRoleBinding | ICronJob;

export function apiOffHoursObjects(ctx: DeployContext, props: OffHoursObjectsProps): OffHoursObject[] {
  const offHours = ctx.env.costPolicy.offHours;
  if (!offHours.enabled) return [];
  const namespace = ctx.env.names.apiNamespace;
  const labels = { ...props.labels, 'app.kubernetes.io/component': 'off-hours' };
  const schedules = offHoursSchedules(offHours);
  const cronJob = (name: string, schedule: string, command: string[], deadlineSeconds: number): ICronJob => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace, labels },
    spec: {
      schedule,
      timeZone: offHours.timeZone,
      concurrencyPolicy: 'Forbid',
      // A schedule missed while the controller was busy still runs within the hour; later it waits for the next.
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 3,
          activeDeadlineSeconds: deadlineSeconds,
          ttlSecondsAfterFinished: 86_400,
          template: {
            metadata: { labels },
            spec: {
              ...props.podSpec({ restartPolicy: 'Never', containers: [props.container(command)] }),
              serviceAccountName: OFF_HOURS.serviceAccount,
              // The one pod here that talks to the Kubernetes API: its token may patch one Rollout's scale.
              automountServiceAccountToken: true,
            },
          },
        },
      },
    },
  });
  const scale = ['innovate-api', 'scale-api', '--rollout', API.name, '--replicas'];
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: OFF_HOURS.serviceAccount, namespace, labels },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: OFF_HOURS.serviceAccount, namespace, labels },
      rules: [
        { apiGroups: ['argoproj.io'], resources: ['rollouts/scale'], resourceNames: [API.name], verbs: ['patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: OFF_HOURS.serviceAccount, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: OFF_HOURS.serviceAccount },
      subjects: [{ kind: 'ServiceAccount', name: OFF_HOURS.serviceAccount, namespace }],
    },
    cronJob(OFF_HOURS.sleepJob, schedules.sleep, [...scale, '0'], 600),
    cronJob(
      OFF_HOURS.wakeJob,
      schedules.wake,
      [...scale, String(ctx.env.api.minReplicas), '--wait-for-database', String(OFF_HOURS.databaseWaitSeconds)],
      OFF_HOURS.databaseWaitSeconds + 300,
    ),
  ];
}
