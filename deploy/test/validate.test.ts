import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadRegistry } from '../checks/validate/registry.ts';
import { parseYamlObjects, validateObjects } from '../checks/validate/validate.ts';
import { find, type Json, objectsOf } from './helpers.ts';

const registry = await loadRegistry();
const objects = objectsOf('dev');
const check = (...items: unknown[]) =>
  validateObjects(
    items.map((object, i) => ({ source: `case#${i}`, object })),
    registry,
  );

describe('offline schema validation', () => {
  it('accepts every rendered object of dev', () => {
    expect(check(...objects)).toEqual([]);
  });

  it('rejects an unknown kind and a removed API version', () => {
    expect(check({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })[0]).toMatch(/unknown kind/);
    expect(
      check({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: {} })[0],
    ).toMatch(/unknown kind policy\/v1beta1/);
  });

  it('rejects a misspelt field at any depth (strict check)', () => {
    const rollout = structuredClone(find(objects, 'Rollout', 'api')[0]) as Json;
    rollout.spec.strategy.canary.steps[0] = { setWieght: 10 };
    expect(check(rollout).join('\n')).toMatch(/"setWieght".*ICanaryStep/);
    const service = structuredClone(find(objects, 'Service')[0]) as Json;
    service.spec.replicaz = 1;
    expect(check(service).join('\n')).toMatch(/"replicaz"/);
  });

  it('rejects a wrong enum value through the model schema', () => {
    const pool = structuredClone(find(objects, 'NodePool')[0]) as Json;
    pool.spec.disruption.consolidationPolicy = 'WhenUnderutilized';
    expect(check(pool).join('\n')).toMatch(/consolidationPolicy/);
  });

  it('checks constraint parameters against their template, unknown parameters included', () => {
    const constraint = structuredClone(find(objects, 'K8sRequiredLabels')[0]) as Json;
    const template = find(objects, 'ConstraintTemplate', 'k8srequiredlabels')[0];
    constraint.spec.parameters = { lables: ['app'] };
    expect(check(template, constraint).join('\n')).toMatch(/unknown field "lables"/);
    expect(check(constraint).join('\n')).toMatch(/no rendered ConstraintTemplate/);
  });

  it('parses multi-document YAML with the source of each document', () => {
    const text = `${stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } })}---\n${stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } })}`;
    expect(parseYamlObjects(text, 'x.yaml').map((item) => item.source)).toEqual(['x.yaml#1', 'x.yaml#2']);
  });
});
