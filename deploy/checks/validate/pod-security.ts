/**
 * Pod Security Standards, `restricted` profile (Kubernetes 1.25+ definition), checked offline on every pod
 * template rendered into a namespace that enforces it. The API server would reject such a pod at creation — long
 * after Argo CD reported the Rollout as synced — so the render is checked instead.
 */
import type { KubeObject } from '../../src/chart.ts';

// biome-ignore lint/suspicious/noExplicitAny: walks untyped pod specs from YAML.
type Json = Record<string, any>;

const ALLOWED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const SECCOMP_ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

/** The pod spec inside a workload object, or undefined for kinds without pods. */
export function podSpecOf(object: Json): Json | undefined {
  switch (object.kind) {
    case 'Pod':
      return object.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
    case 'Rollout':
      return object.spec?.template?.spec;
    default:
      return undefined;
  }
}

/** Violations of `restricted` in one pod spec, one line each. */
export function restrictedViolations(spec: Json): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field] === true) problems.push(`${field} must not be true`);
  }
  for (const volume of spec.volumes ?? []) {
    const sources = Object.keys(volume).filter((key) => key !== 'name');
    for (const source of sources) {
      if (!ALLOWED_VOLUME_SOURCES.has(source)) problems.push(`volume ${volume.name}: type ${source} is not allowed`);
    }
  }
  const containers: Json[] = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  for (const container of containers) {
    const sc = container.securityContext ?? {};
    const name = `container ${container.name}`;
    if (sc.privileged === true) problems.push(`${name}: privileged must not be true`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation must be false`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${name}: runAsNonRoot must be true`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) problems.push(`${name}: runAsUser must not be 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (!SECCOMP_ALLOWED.has(seccomp))
      problems.push(`${name}: seccompProfile.type must be RuntimeDefault or Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${name}: capabilities.drop must include ALL`);
    for (const capability of sc.capabilities?.add ?? []) {
      if (capability !== 'NET_BIND_SERVICE') problems.push(`${name}: capability ${capability} must not be added`);
    }
    for (const port of container.ports ?? []) {
      if (port.hostPort) problems.push(`${name}: hostPort ${port.hostPort} is not allowed`);
    }
    if (sc.procMount && sc.procMount !== 'Default') problems.push(`${name}: procMount must be Default`);
  }
  return problems;
}

/** Every pod template in a namespace labelled `pod-security.kubernetes.io/enforce: restricted`. */
export function podSecurityProblems(objects: KubeObject[]): string[] {
  const restricted = new Set(
    objects
      .filter(
        (o) => o.kind === 'Namespace' && o.metadata?.labels?.['pod-security.kubernetes.io/enforce'] === 'restricted',
      )
      .map((o) => o.metadata?.name),
  );
  return objects.flatMap((object) => {
    const spec = podSpecOf(object as Json);
    const namespace = object.metadata?.namespace;
    if (!spec || !namespace || !restricted.has(namespace)) return [];
    return restrictedViolations(spec).map(
      (line) => `${object.kind} ${namespace}/${object.metadata?.name}: PSS restricted: ${line}`,
    );
  });
}
