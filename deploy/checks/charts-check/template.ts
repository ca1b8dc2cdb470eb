/**
 * `helm template` of a chart source with our values, as Argo CD renders it (no cluster: `lookup` finds nothing),
 * so a chart that refuses our values, or renders an object the schemas reject, fails here instead of in Argo CD.
 * A packaged chart (what `helm pull` gets) carries its dependencies in `charts/`. A chart folder without them (a
 * test fixture) is templated without its dependencies when every dependency's `condition` is false in the merged
 * values; otherwise the gate reports that it could not template the chart.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../../src/chart.ts';
import { type ChartFiles, mergeValues } from './keys.ts';

export class ChartTemplateError extends Error {
  override name = 'ChartTemplateError';
}

interface Dependency {
  name: string;
  condition?: string;
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else chmodSync(path, 0o644);
  }
}

function valueAt(values: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], values);
}

export interface TemplateInput {
  release: string;
  namespace: string;
  kubeVersion: string;
  values: Record<string, unknown>;
}

/** Objects `helm template` renders (helm test hooks left out: Argo CD never applies them). */
export function helmTemplate(chartDir: string, chart: ChartFiles, input: TemplateInput): KubeObject[] {
  const work = mkdtempSync(join(tmpdir(), 'chart-template-'));
  try {
    const chartYaml = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { dependencies?: Dependency[] };
    let dir = chartDir;
    if (chartYaml.dependencies?.length && !existsSync(join(chartDir, 'charts'))) {
      const merged = mergeValues(chart.values, input.values);
      const enabled = chartYaml.dependencies.filter(
        (dependency) => !dependency.condition || valueAt(merged, dependency.condition) !== false,
      );
      if (enabled.length > 0)
        throw new ChartTemplateError(
          `${chart.name}@${chart.version}: cannot template offline: dependencies ${enabled.map((d) => d.name).join(', ')} are enabled`,
        );
      dir = join(work, 'chart');
      cpSync(chartDir, dir, { recursive: true });
      // The source may be read-only (a checked-out fixture, a shared cache); the copy is rewritten below.
      makeWritable(dir);
      const { dependencies: _disabled, ...withoutDependencies } = chartYaml;
      writeFileSync(join(dir, 'Chart.yaml'), stringify(withoutDependencies));
      rmSync(join(dir, 'Chart.lock'), { force: true });
    }
    const valuesFile = join(work, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(input.values));
    let output: string;
    try {
      output = execFileSync(
        'helm',
        [
          'template',
          input.release,
          dir,
          '--namespace',
          input.namespace,
          '--values',
          valuesFile,
          '--kube-version',
          input.kubeVersion,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT')
        throw new ChartTemplateError(
          'helm is not on PATH: run `make check-deploy-charts`, which builds it (deps-helm)',
        );
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
      throw new ChartTemplateError(`${chart.name}@${chart.version}: helm template failed: ${stderr}`);
    }
    return parseAllDocuments(output)
      .map((document) => document.toJS() as KubeObject | null)
      .filter((object): object is KubeObject => object !== null && typeof object === 'object')
      .filter((object) => {
        const annotations = (object.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
        return !String(annotations?.['helm.sh/hook'] ?? '').includes('test');
      });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
