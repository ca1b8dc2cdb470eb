/**
 * Mistakes in copies of the rendered NodePool and EC2NodeClass that only the live API server refuses: the CRDs'
 * CEL rules (with Karpenter's own messages) and a rule on the stored object (a field immutable on update). A JSON
 * schema check without CEL, or without the stored object, accepts every one of them. Each CEL rule we rely on gets
 * a case here.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolchainFromEnv } from '../src/control-plane.ts';
import { addonCrds, crdToolsFromEnv } from '../src/crds.ts';
import { type Cluster, prepareCluster, startPlane } from '../src/environment.ts';
import type { KubeObject } from '../src/kube-client.ts';
import { folderObjects, workingTree } from '../src/render-source.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// biome-ignore lint/suspicious/noExplicitAny: mutated copies of arbitrary rendered objects
type Json = any;

const platform = folderObjects(workingTree(REPO), 'deploy/rendered/components/prod/platform');
const renderedPool = platform.find((o) => o.kind === 'NodePool') as Json;
const renderedClass = platform.find((o) => o.kind === 'EC2NodeClass') as Json;

let cluster: Cluster;

beforeAll(async () => {
  // Karpenter's CRDs only: the others take most of a full install's time and no case here needs them.
  const karpenter = addonCrds(crdToolsFromEnv(REPO)).filter((crd) =>
    /\.karpenter\.(sh|k8s\.aws)$/.test(crd.metadata.name),
  );
  cluster = await prepareCluster(await startPlane(toolchainFromEnv(), 'rehearse-refusals'), karpenter);
});
afterAll(() => cluster?.plane.stop());

async function refusal(object: KubeObject, dryRun = true): Promise<string> {
  try {
    await cluster.client.apply(object, { dryRun });
  } catch (error) {
    return (error as Error).message;
  }
  return 'admitted';
}

function pool(mutate: (spec: Json) => void): KubeObject {
  const copy = structuredClone(renderedPool);
  mutate(copy.spec);
  return copy;
}

function nodeClass(mutate: (spec: Json) => void): KubeObject {
  const copy = structuredClone(renderedClass);
  mutate(copy.spec);
  return copy;
}

describe('the live API server refuses what the Karpenter CRDs forbid', () => {
  it('admits the rendered NodePool and EC2NodeClass', async () => {
    expect(await refusal(renderedClass, false)).toBe('admitted');
    expect(await refusal(renderedPool, false)).toBe('admitted');
  });

  it.each([
    [
      'a restricted label key in a requirement',
      pool((s) => s.template.spec.requirements.push({ key: 'karpenter.sh/nodepool', operator: 'In', values: ['x'] })),
      'label "karpenter.sh/nodepool" is restricted',
    ],
    [
      'a disruption budget schedule without a duration',
      pool((s) => s.disruption.budgets.push({ nodes: '0', schedule: '0 9 * * mon-fri' })),
      "'schedule' must be set with 'duration'",
    ],
    [
      "an empty 'In'",
      pool((s) =>
        s.template.spec.requirements.push({ key: 'topology.kubernetes.io/zone', operator: 'In', values: [] }),
      ),
      "requirements with operator 'In' must have a value",
    ],
    [
      'an AMI alias combined with an id',
      nodeClass((s) => s.amiSelectorTerms.push({ id: 'ami-0123456789abcdef0' })),
      "'alias' is mutually exclusive",
    ],
    [
      'an AMI family Karpenter does not know',
      nodeClass((s) => {
        s.amiSelectorTerms = [{ alias: 'ubuntu@latest' }];
      }),
      'family is not supported',
    ],
    [
      'two root volumes',
      nodeClass((s) => s.blockDeviceMappings.push({ ...s.blockDeviceMappings[0], deviceName: '/dev/xvdb' })),
      'must have only one blockDeviceMappings with rootVolume',
    ],
  ])('%s', async (_name, object, message) => {
    const answer = await refusal(object);
    expect(answer).toContain('422 Invalid');
    expect(answer).toContain(message);
  });

  it('a changed nodeClassRef.group on update (a rule on the stored object)', async () => {
    const changed = pool((s) => {
      s.template.spec.nodeClassRef.group = 'karpenter.example.com';
    });
    // The same object is admitted on create: only the stored NodePool makes it a mistake.
    expect(await refusal({ ...changed, metadata: { ...changed.metadata, name: 'fresh' } })).toBe('admitted');
    const answer = await refusal(changed);
    expect(answer).toContain('422 Invalid');
    expect(answer).toContain('nodeClassRef.group is immutable');
  });
});
