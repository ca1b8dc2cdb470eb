import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrdSchemas } from '../checks/charts-check/crd-schema.ts';
import { versionProblems } from '../checks/charts-check/gate.ts';
import { checkValuesKeys, loadChart, mergeValues, schemaProblems } from '../checks/charts-check/keys.ts';
import { readLock, staleLockEntries } from '../checks/charts-check/pull.ts';
import { ChartTemplateError, helmTemplate } from '../checks/charts-check/template.ts';
import { ADDONS, type AddonSpec } from '../src/charts/addons.ts';

const demoDir = join(import.meta.dirname, 'fixtures', 'demo-chart');
const demo = loadChart(demoDir);
const addon = (version: string): AddonSpec => ({
  name: 'demo-addon',
  repoURL: 'https://example.invalid',
  chart: 'demo',
  version,
  wave: 1,
  namespace: () => 'demo',
  values: () => ({}),
});

describe('chart values gate (ADR 0070)', () => {
  it('accepts keys from values.yaml, values.schema.json, template references and pass-through maps', () => {
    const result = checkValuesKeys(
      'demo-addon',
      {
        replicas: 2,
        serviceAccount: { name: 'x', annotations: { 'eks.amazonaws.com/role-arn': 'arn' } },
        nodeSelector: { 'innovate.io/node-role': 'system' },
        schemaOnly: 'yes',
        templateOnly: true,
        trustPolicies: [{ name: 'p', registryScopes: ['r'] }],
      },
      demo,
    );
    expect(result.problems).toEqual([]);
    expect(result.checked).toBe(10);
  });

  it('reports a misspelt key naming the add-on and the key path, at any depth and inside list elements', () => {
    const { problems } = checkValuesKeys(
      'demo-addon',
      { serviceAcount: { name: 'x' }, serviceAccount: { nmae: 'x' }, trustPolicies: [{ registryScope: ['r'] }] },
      demo,
    );
    expect(problems).toEqual([
      'demo-addon: values key serviceAcount does not exist in chart demo@1.2.3 (values.yaml, values.schema.json, templates)',
      'demo-addon: values key serviceAccount.nmae does not exist in chart demo@1.2.3 (values.yaml, values.schema.json, templates)',
      'demo-addon: values key trustPolicies[0].registryScope does not exist in chart demo@1.2.3 (no default element of trustPolicies has it)',
    ]);
  });

  it('validates the merged values against values.schema.json', () => {
    expect(schemaProblems('demo-addon', { replicas: 0 }, demo)).toEqual([
      'demo-addon: values /replicas must be >= 1 (chart demo@1.2.3 values.schema.json)',
    ]);
    expect(schemaProblems('demo-addon', { replicas: 3 }, demo)).toEqual([]);
    expect(mergeValues({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: 3, c: null }, d: [2] })).toEqual({
      a: { b: 3 },
      d: [2],
    });
  });

  it('reports a pulled chart that is not the pinned name or version', () => {
    expect(versionProblems(addon('1.2.3'), demo)).toEqual([]);
    expect(versionProblems(addon('1.2.4'), demo)).toEqual([
      'demo-addon: chart version mismatch: pinned 1.2.4, but the pulled Chart.yaml says 1.2.3',
    ]);
    expect(versionProblems({ ...addon('1.2.3'), chart: 'other' }, demo)[0]).toMatch(/is chart demo, not other/);
  });

  it('every add-on chart has exactly one entry in deploy/charts.lock.json, and no entry is stale', () => {
    const lock = readLock();
    expect(staleLockEntries(lock, ADDONS)).toEqual([]);
    for (const { repoURL, chart, version } of ADDONS)
      expect(
        lock.charts.filter((e) => e.repoURL === repoURL && e.chart === chart && e.version === version),
        `${chart}@${version}`,
      ).toHaveLength(1);
  });

  it('renders the chart with our values through helm template (helm test hooks left out)', () => {
    const input = {
      release: 'demo',
      namespace: 'demo',
      kubeVersion: '1.36.0',
      values: { replicas: 3, templateOnly: true },
    };
    const [deployment] = helmTemplate(demoDir, demo, input) as unknown as Array<{
      kind: string;
      spec: { replicas: number; paused?: boolean };
    }>;
    expect(deployment?.kind).toBe('Deployment');
    expect(deployment?.spec).toMatchObject({ replicas: 3, paused: true });
    expect(() => helmTemplate(demoDir, demo, { ...input, values: { replicas: 'three' } })).toThrow(ChartTemplateError);
  });

  it('validates custom resources against their CRD, unknown fields included', () => {
    const crds = new CrdSchemas();
    crds.addFolder(join(demoDir, 'crds'));
    const widget = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
    expect(crds.validate(widget({ size: 2, port: 'http', parameters: { anything: [1] } }))).toEqual([]);
    expect(crds.validate(widget({ size: 0, szie: 2 }))).toEqual([
      '/spec: must NOT have additional properties "szie"',
      '/spec/size: must be >= 1',
    ]);
    expect(crds.validate(widget({ size: 2 ** 31 }))?.join()).toMatch(/must match format "int32"/);
    expect(crds.validate({ apiVersion: 'example.com/v2', kind: 'Widget' })).toBeUndefined();
  });
});
