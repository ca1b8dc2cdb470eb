import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../src/kube-client.ts';
import { allowed, simulatedNodes } from '../src/nodes.ts';
import { folderObjects, workingTree } from '../src/render-source.ts';
import { applicationOrder, syncOrder } from '../src/sync-plan.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const render = workingTree(REPO);

const obj = (kind: string, name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, annotations },
});

describe('sync order (as Argo CD applies a render)', () => {
  it('runs PreSync hooks first, then waves, then kind order, then names', () => {
    const order = syncOrder([
      obj('Service', 'b'),
      obj('Deployment', 'a', { 'argocd.argoproj.io/sync-wave': '-1' }),
      obj('Job', 'migrate', { 'argocd.argoproj.io/hook': 'PreSync' }),
      obj('Namespace', 'z'),
      obj('Service', 'a'),
      obj('Job', 'skipped', { 'argocd.argoproj.io/hook': 'Skip' }),
      obj('Widget', 'custom'),
    ]).map((step) => `${step.phase}/${step.wave}/${step.object.kind}/${step.object.metadata.name}`);
    expect(order).toEqual([
      'PreSync/0/Job/migrate',
      'Sync/-1/Deployment/a',
      'Sync/0/Namespace/z',
      'Sync/0/Service/a',
      'Sync/0/Service/b',
      'Sync/0/Widget/custom',
    ]);
  });

  it('rejects a sync wave that is not an integer', () => {
    expect(() => syncOrder([obj('Service', 'x', { 'argocd.argoproj.io/sync-wave': 'soon' })])).toThrow(
      /Service x: argocd.argoproj.io\/sync-wave "soon" is not an integer/,
    );
  });

  it('orders the rendered Applications of every environment by wave: root and projects first, the API last', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const apps = applicationOrder(folderObjects(render, `deploy/rendered/${env}`)).map((a) => a.metadata.name);
      expect(apps[0]).toBe('root');
      expect(apps.at(-1)).toBe('api');
      expect(apps.indexOf('policies')).toBeLessThan(apps.indexOf('platform'));
      expect(apps.indexOf('api-base')).toBeLessThan(apps.indexOf('api'));
    }
  });
});

describe('simulated nodes', () => {
  it('narrows well-known values by In and NotIn', () => {
    expect(allowed([{ key: 'a', operator: 'In', values: ['x', 'y'] }], 'a', ['x', 'y', 'z'])).toEqual(['x', 'y']);
    expect(allowed([{ key: 'a', operator: 'NotIn', values: ['x'] }], 'a', ['x', 'y'])).toEqual(['y']);
    expect(allowed([], 'a', ['x'])).toEqual(['x']);
  });

  it('gives the rendered NodePool every architecture it allows, spot and on-demand, in three zones, plus system nodes', () => {
    const pools = folderObjects(render, 'deploy/rendered/components/prod/platform').filter(
      (o) => o.kind === 'NodePool',
    );
    const nodes = simulatedNodes(pools, ['z-a', 'z-b', 'z-c'], {
      label: { key: 'role', value: 'system' },
      taint: { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' },
    });
    const labels = nodes.map((n) => n.metadata.labels ?? {});
    const combos = new Set(
      labels
        .filter((l) => l['karpenter.sh/nodepool'])
        .map(
          (l) => `${l['kubernetes.io/arch']}/${l['karpenter.sh/capacity-type']}/${l['topology.kubernetes.io/zone']}`,
        ),
    );
    // One simulated node per architecture the pools allow × capacity type × zone (the pools decide, e.g. Graviton only).
    const arches = new Set(
      pools.flatMap((pool) =>
        (
          (pool.spec as { template: { spec: { requirements: { key: string; values?: string[] }[] } } }).template.spec
            .requirements ?? []
        )
          .filter((r) => r.key === 'kubernetes.io/arch')
          .flatMap((r) => r.values ?? []),
      ),
    );
    expect(arches.size).toBeGreaterThan(0);
    expect(combos.size).toBe(arches.size * 2 * 3);
    expect(labels.filter((l) => l.role === 'system')).toHaveLength(3);
  });
});
