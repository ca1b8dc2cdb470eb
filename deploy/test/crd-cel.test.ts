import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CrdSchemas } from '../checks/charts-check/crd-schema.ts';
import { find, type Json, objectsOf } from './helpers.ts';

const widget = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });

describe('CEL rules of CRDs (ADR 0071)', () => {
  const demo = new CrdSchemas();
  demo.addFolder(join(import.meta.dirname, 'fixtures', 'demo-chart', 'crds'));

  it('evaluates a rule with its message, integers as CEL ints, and skips transition rules', () => {
    expect(demo.validate(widget({ size: 2, port: 80 }))).toEqual([]);
    expect(demo.validate(widget({ size: 1, port: 80 }))).toEqual(['/spec: a widget with a port needs size 2 or more']);
    expect([...demo.celStats.skipped.values()]).toEqual(['transition rule (oldSelf): not evaluated on create']);
  });

  // The real CRDs of the pinned Karpenter release, as its Go module embeds them (the karpenter-crd chart packages the
  // same files): written by the rehearsal's CRD program (`crds embedded`, ADR 0111), which test-deploy builds
  // first (deps-rehearse-crds). Offline, unlike a `helm pull` of the chart.
  const crdsProgram = process.env.REHEARSE_CRDS_BIN
    ? join(process.env.REHEARSE_CRDS_BIN, 'crds')
    : join(import.meta.dirname, '..', '..', '.tools', 'rehearse-crds', 'crds');
  const karpenter = new CrdSchemas();
  for (const object of parseAllDocuments(
    execFileSync(crdsProgram, ['embedded'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
  ).map((document) => document.toJS()))
    if (object?.kind === 'CustomResourceDefinition') karpenter.add(object as never);
  const objects = objectsOf('prod');
  const nodePool = find(objects, 'NodePool')[0] as Json;
  const nodeClass = find(objects, 'EC2NodeClass')[0] as Json;

  it('admits the rendered NodePool and EC2NodeClass', () => {
    expect(karpenter.validate(nodePool)).toEqual([]);
    expect(karpenter.validate(nodeClass)).toEqual([]);
    expect(karpenter.celStats.evaluated).toBeGreaterThan(20);
  });

  it('denies what only a CEL rule forbids, with the CRD message', () => {
    const badPool = structuredClone(nodePool);
    badPool.spec.template.spec.requirements.push({ key: 'karpenter.sh/nodepool', operator: 'In', values: ['x'] });
    expect(karpenter.validate(badPool)).toEqual([
      '/spec/template/spec/requirements/4/key: label "karpenter.sh/nodepool" is restricted',
    ]);
    const gtTwo = structuredClone(nodePool);
    gtTwo.spec.template.spec.requirements.push({
      key: 'karpenter.k8s.aws/instance-cpu',
      operator: 'Gt',
      values: ['2', '4'],
    });
    expect(karpenter.validate(gtTwo)).toEqual([
      "/spec/template/spec/requirements: requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value",
    ]);

    const twoAmis = structuredClone(nodeClass);
    twoAmis.spec.amiSelectorTerms.push({ id: 'ami-0123456789abcdef0' });
    expect(karpenter.validate(twoAmis)).toEqual([
      "/spec/amiSelectorTerms: 'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms",
    ]);
    const ubuntu = structuredClone(nodeClass);
    ubuntu.spec.amiSelectorTerms = [{ alias: 'ubuntu@latest' }];
    expect(karpenter.validate(ubuntu)?.join('\n')).toMatch(/amiSelectorTerms\/0\/alias: family is not supported/);
  });
});
