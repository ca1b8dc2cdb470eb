/**
 * Deliberately bad manifests: the rendered dev Rollout with one defect each. Each must be denied by exactly the
 * policy meant to deny it (and the unchanged Rollout by none), evaluated by OPA over the rendered constraints.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, matches, splitPolicies } from '../checks/policy/harness.ts';
import { podSecurityProblems } from '../checks/validate/pod-security.ts';
import { find, type Json, objectsOf } from './helpers.ts';

const objects = objectsOf('dev');
const { templates, constraints } = splitPolicies(objects);
const good = find(objects, 'Rollout', 'api')[0] as Json;
const goodImage: string = good.spec.template.spec.containers[0].image;

type Case = [name: string, expected: string[], mutate: (rollout: Json) => void];
const container = (r: Json) => r.spec.template.spec.containers[0];
const CASES: Case[] = [
  ['unchanged', [], () => {}],
  [
    'runs as root',
    ['K8sNoRoot'],
    (r) => {
      r.spec.template.spec.securityContext.runAsUser = 0;
    },
  ],
  [
    'privileged',
    ['K8sNoPrivileged'],
    (r) => {
      container(r).securityContext.privileged = true;
    },
  ],
  [
    'privilege escalation allowed',
    ['K8sNoPrivileged'],
    (r) => {
      container(r).securityContext.allowPrivilegeEscalation = true;
    },
  ],
  [
    'hostNetwork',
    ['K8sNoHostAccess'],
    (r) => {
      r.spec.template.spec.hostNetwork = true;
    },
  ],
  [
    'hostPID',
    ['K8sNoHostAccess'],
    (r) => {
      r.spec.template.spec.hostPID = true;
    },
  ],
  [
    'hostPath volume',
    ['K8sNoHostAccess'],
    (r) => {
      r.spec.template.spec.volumes.push({ name: 'node', hostPath: { path: '/' } });
    },
  ],
  [
    'adds NET_RAW',
    ['K8sDropAllCapabilities'],
    (r) => {
      container(r).securityContext.capabilities.add = ['NET_RAW'];
    },
  ],
  [
    'no limits',
    ['K8sRequiredResources'],
    (r) => {
      delete container(r).resources.limits;
    },
  ],
  [
    'no readiness probe',
    ['K8sRequiredProbes'],
    (r) => {
      delete container(r).readinessProbe;
    },
  ],
  [
    'no cost-center label',
    ['K8sRequiredLabels'],
    (r) => {
      delete r.metadata.labels['cost-center'];
    },
  ],
  // A foreign image is also not signed by the environment's Signer profile: both policies deny it.
  [
    'image from Docker Hub',
    ['K8sAllowedImages', 'K8sVerifiedImages'],
    (r) => {
      container(r).image = `docker.io/library/python@${goodImage.split('@')[1]}`;
    },
  ],
  [
    'image by tag',
    ['K8sAllowedImages', 'K8sVerifiedImages'],
    (r) => {
      container(r).image = `${goodImage.split('@')[0]}:latest`;
    },
  ],
  [
    'unsigned image',
    ['K8sVerifiedImages'],
    (r) => {
      container(r).image = goodImage.replace(/@sha256:[a-f0-9]{64}$/, `@sha256:${'0'.repeat(64)}`);
    },
  ],
];

describe('Gatekeeper constraints over deliberately bad manifests (dev)', () => {
  const manifests = CASES.map(([, , mutate]) => {
    const copy = structuredClone(good);
    mutate(copy);
    return copy;
  });
  // One OPA run for all cases; the stand-in verifier knows only the pinned image as signed.
  const run = evaluate(manifests, templates, constraints, [goodImage]);

  it.each(CASES.map(([name, expected], index) => [name, expected, index] as const))(
    '%s → denied by %j',
    (_name, expected, index) => {
      const deniedBy = [...new Set(run.violations.filter((v) => v.index === index).map((v) => v.constraintKind))];
      expect(deniedBy.sort()).toEqual([...expected].sort());
    },
  );

  it('evaluated every constraint of the API namespace against every case', () => {
    const applicable = constraints.filter((constraint) => matches(constraint.spec.match, good));
    expect(applicable.map((constraint) => constraint.kind).sort()).toEqual(
      [...new Set(constraints.map((constraint) => constraint.kind))].sort(),
    );
    expect(run.evaluated).toBe(CASES.length * applicable.length);
  });
});

describe('constraint scope', () => {
  it('exempts system namespaces from the pod-security policies, by name', () => {
    const kubeSystem = structuredClone(good);
    kubeSystem.metadata.namespace = 'kube-system';
    kubeSystem.spec.template.spec.hostNetwork = true;
    const other = structuredClone(kubeSystem);
    other.metadata.namespace = 'argocd';
    const run = evaluate([kubeSystem, other], templates, constraints);
    expect(run.violations.filter((v) => v.index === 0)).toEqual([]);
    expect(run.violations.filter((v) => v.index === 1).map((v) => v.constraintKind)).toContain('K8sNoHostAccess');
  });
});

describe('Pod Security Standards restricted (offline)', () => {
  const namespace = find(objects, 'Namespace', good.metadata.namespace);
  const check = (rollout: Json) => podSecurityProblems([...namespace, rollout]);

  it('admits the rendered Rollout', () => {
    expect(check(good)).toEqual([]);
  });

  it.each([
    [
      'no seccomp profile',
      (r: Json) => {
        delete r.spec.template.spec.securityContext.seccompProfile;
        delete container(r).securityContext.seccompProfile;
      },
      /seccompProfile/,
    ],
    [
      'a hostPath volume',
      (r: Json) => {
        r.spec.template.spec.volumes.push({ name: 'node', hostPath: { path: '/' } });
      },
      /type hostPath is not allowed/,
    ],
    [
      'SYS_ADMIN added',
      (r: Json) => {
        container(r).securityContext.capabilities.add = ['SYS_ADMIN'];
      },
      /capability SYS_ADMIN/,
    ],
  ])('rejects %s', (_name, mutate, message) => {
    const copy = structuredClone(good);
    mutate(copy);
    expect(check(copy).join('\n')).toMatch(message);
  });

  it('does not apply where the namespace does not enforce restricted', () => {
    const copy = structuredClone(good);
    copy.spec.template.spec.hostNetwork = true;
    expect(podSecurityProblems([copy])).toEqual([]);
  });
});
