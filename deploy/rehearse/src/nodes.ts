/**
 * Simulated nodes (kwok) shaped like the nodes the cluster can have: one per combination of architecture, capacity
 * type and zone that each NodePool's requirements allow (labels and taints of its template), plus the managed
 * system node group (label and taint from the config). kwok plays their kubelet: it marks them Ready and runs the
 * pods the scheduler binds to them.
 */
import type { KubeObject } from './kube-client.ts';

const ARCH = 'kubernetes.io/arch';
const CAPACITY = 'karpenter.sh/capacity-type';
const ZONE = 'topology.kubernetes.io/zone';
const WELL_KNOWN = { [ARCH]: ['amd64', 'arm64'], [CAPACITY]: ['spot', 'on-demand'] } as const;

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodePool extends KubeObject {
  spec: {
    template: {
      metadata?: { labels?: Record<string, string> };
      spec: { requirements: Requirement[]; taints?: { key: string; value?: string; effect: string }[] };
    };
  };
}

export interface SystemNodes {
  label: { key: string; value: string };
  taint: { key: string; value: string; effect: string };
}

/** The values a NodePool allows for `key` out of `all` (In narrows, NotIn removes; no requirement allows all). */
export function allowed(requirements: Requirement[], key: string, all: readonly string[]): string[] {
  let values = [...all];
  for (const r of requirements.filter((req) => req.key === key)) {
    if (r.operator === 'In') values = values.filter((v) => r.values?.includes(v));
    else if (r.operator === 'NotIn') values = values.filter((v) => !r.values?.includes(v));
    else if (r.operator === 'DoesNotExist') values = [];
  }
  return values;
}

function node(
  name: string,
  labels: Record<string, string>,
  taints: { key: string; value?: string; effect: string }[],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      // kwok manages nodes carrying this annotation (its default selector).
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kwok.x-k8s.io/node': 'fake' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', type: 'kwok', ...labels },
    },
    spec: { taints },
    status: {
      allocatable: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      capacity: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      nodeInfo: { architecture: labels[ARCH] ?? 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake' },
    },
  };
}

export function simulatedNodes(nodePools: KubeObject[], zones: string[], system: SystemNodes): KubeObject[] {
  const nodes: KubeObject[] = [];
  for (const pool of nodePools as NodePool[]) {
    const { requirements } = pool.spec.template.spec;
    for (const arch of allowed(requirements, ARCH, WELL_KNOWN[ARCH]))
      for (const capacity of allowed(requirements, CAPACITY, WELL_KNOWN[CAPACITY]))
        for (const zone of allowed(requirements, ZONE, zones))
          nodes.push(
            node(
              `${pool.metadata.name}-${arch}-${capacity}-${zone}`,
              {
                ...pool.spec.template.metadata?.labels,
                'karpenter.sh/nodepool': pool.metadata.name,
                'karpenter.sh/registered': 'true',
                'karpenter.sh/initialized': 'true',
                [ARCH]: arch,
                [CAPACITY]: capacity,
                [ZONE]: zone,
              },
              pool.spec.template.spec.taints ?? [],
            ),
          );
  }
  // The managed node group: on-demand arm64 (t4g), one node per zone.
  for (const zone of zones)
    nodes.push(
      node(`system-${zone}`, { [system.label.key]: system.label.value, [ARCH]: 'arm64', [ZONE]: zone }, [system.taint]),
    );
  return nodes;
}
