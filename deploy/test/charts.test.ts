import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADDONS, type AddonSpec } from '../src/charts/addons.ts';
import { CrdSchemas } from '../src/charts-check/crd-schema.ts';
import { kubernetesRangeProblems, passThroughNameProblems, versionProblems } from '../src/charts-check/gate.ts';
import { checkValuesKeys, loadChart, mergeValues, schemaProblems } from '../src/charts-check/keys.ts';
import { CHART_SOURCES, type ChartSource, sourcesProblems } from '../src/charts-check/sources.ts';
import { ChartTemplateError, helmTemplate } from '../src/charts-check/template.ts';

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
const source = (versionCheck: ChartSource['versionCheck'], version = 'v1.2.3'): ChartSource => ({
  module: 'example.com/demo',
  version,
  path: 'chart',
  versionCheck,
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

  it('reports a chart version mismatch for both kinds of version proof', () => {
    expect(versionProblems(addon('1.2.3'), source('chart-yaml'), demo)).toEqual([]);
    expect(versionProblems(addon('1.2.4'), source('chart-yaml'), demo)).toEqual([
      'demo-addon: chart version mismatch: pinned 1.2.4, but example.com/demo@v1.2.3/chart/Chart.yaml says 1.2.3',
    ]);
    expect(versionProblems(addon('1.2.4'), source('release-tag'), demo)).toEqual([
      'demo-addon: chart version mismatch: pinned 1.2.4, but the chart source is tag v1.2.3',
    ]);
    expect(versionProblems({ ...addon('1.2.3'), chart: 'other' }, source('chart-yaml'), demo)[0]).toMatch(
      /is chart demo, not other/,
    );
  });

  it('every add-on is either checked against a source or listed with the reason it is not', () => {
    expect(sourcesProblems()).toEqual([]);
    for (const { name } of ADDONS) {
      const entry = CHART_SOURCES[name];
      expect(entry && ('source' in entry || entry.notChecked.length > 20)).toBe(true);
    }
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

  it('checks the names inside a pass-through map against the program source (Ratify feature flags)', () => {
    const source: ChartSource = {
      ...(CHART_SOURCES.ratify as { source: ChartSource }).source,
      passThroughNames: {
        values: ['featureFlags'],
        file: 'templates/deployment.yaml',
        pattern: /\.Values\.([a-z]+)/g,
        prefix: 'X_',
      },
    };
    const values = { featureFlags: { X_replicas: true, X_replcas: true } };
    expect(passThroughNameProblems('demo-addon', values, source, `${demoDir}/`)).toEqual([
      `demo-addon: values key featureFlags.X_replcas is not declared in ${source.module}@${source.version}/templates/deployment.yaml (known: X_node, X_replicas, X_service, X_template)`,
    ]);
  });

  it('reports an environment whose Kubernetes version the program does not support', () => {
    const source = (CHART_SOURCES.karpenter as { source: ChartSource }).source;
    const text = 'MinK8sVersion = "1.26"\n\tMaxK8sVersion = "1.36"';
    const envs = [
      { name: 'dev', kubernetesVersion: '1.36' },
      { name: 'prod', kubernetesVersion: '1.37' },
    ];
    expect(kubernetesRangeProblems('karpenter', source, text, envs)).toEqual([
      `prod: karpenter: Kubernetes 1.37 is outside 1.26–1.36, what ${source.module}@${source.version} supports (pkg/providers/version/version.go)`,
    ]);
    expect(kubernetesRangeProblems('karpenter', source, 'nothing', envs)[0]).toMatch(/no supported Kubernetes range/);
  });
});
