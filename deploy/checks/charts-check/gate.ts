/**
 * The chart-values gate (`make check-deploy-charts`, ADR 0070): every add-on's chart is pulled with `helm pull`
 * from the repository and version its Argo CD Application names, checked against deploy/charts.lock.json
 * (pull.ts), then every values key of every environment is checked against the chart, the merged values against
 * its values.schema.json, and the chart is `helm template`d with our values and what it renders validated (models
 * and strict fields as for our own render; custom resources against the chart's CRDs, CEL rules included).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { ADDONS, type AddonSpec } from '../../src/charts/addons.ts';
import type { DeployContext } from '../../src/context.ts';
import { RENDERED_DIR, REPO_ROOT } from '../../src/layout.ts';
import { deployContext } from '../../src/render.ts';
import { CHART_OUTPUT_API_VERSIONS, loadRegistry, registryKey } from '../validate/registry.ts';
import { parseYamlObjects, type SourcedObject, validateObjects } from '../validate/validate.ts';
import { type CelStats, CrdSchemas, isCrd } from './crd-schema.ts';
import { type ChartFiles, checkValuesKeys, loadChart, schemaProblems } from './keys.ts';
import { type ChartsLock, describeRef, pullChart, readLock, staleLockEntries } from './pull.ts';
import { helmTemplate } from './template.ts';

/** Why the pulled chart is not the pinned one (a repository serving another chart or version); empty when it is. */
export function versionProblems(addon: AddonSpec, chart: ChartFiles): string[] {
  if (chart.name !== addon.chart)
    return [`${addon.name}: ${describeRef(addon)} is chart ${chart.name}, not ${addon.chart}`];
  if (chart.version !== addon.version)
    return [
      `${addon.name}: chart version mismatch: pinned ${addon.version}, but the pulled Chart.yaml says ${chart.version}`,
    ];
  return [];
}

export interface ChartReport {
  addon: string;
  /** Keys compared over all environments, objects templated, and where the chart came from. */
  checked?: { keys: number; objects: number; source: string; chartVersion: string };
  problems: string[];
}

export function checkAddon(addon: AddonSpec, chart: ChartFiles, contexts: DeployContext[]): ChartReport {
  const problems = versionProblems(addon, chart);
  let keys = 0;
  for (const ctx of contexts) {
    const values = addon.values(ctx);
    const result = checkValuesKeys(addon.name, values, chart);
    keys += result.checked;
    problems.push(...result.problems.map((problem) => `${ctx.env.name}: ${problem}`));
    problems.push(...schemaProblems(addon.name, values, chart).map((problem) => `${ctx.env.name}: ${problem}`));
  }
  return {
    addon: addon.name,
    checked: { keys, objects: 0, source: describeRef(addon), chartVersion: chart.version },
    problems: [...new Set(problems)],
  };
}

/** The API server decodes a null field as absent (e.g. an empty `annotations:` a template leaves behind). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null)
      .map(([key, child]) => [key, withoutNulls(child)]),
  );
}

export interface GateResult {
  reports: ChartReport[];
  problems: string[];
  /** Kinds in the charts' output that no model and no pulled chart's CRD describes: `apiVersion/kind` → count. */
  notSchemaChecked: Map<string, number>;
  /** Our own render's custom resources checked against the pulled charts' CRDs (schema + CEL): `apiVersion/kind` → count. */
  renderChecked: Map<string, number>;
  cel: CelStats;
}

/** Every object of the committed render, all environments (what `make check-deploy` validated with the models). */
function committedRender(): SourcedObject[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.yaml')) files.push(path);
    }
  };
  walk(RENDERED_DIR);
  return files.flatMap((path) => parseYamlObjects(readFileSync(path, 'utf8'), relative(REPO_ROOT, path)));
}

export async function runChartGate(
  options: { template?: boolean; lock?: ChartsLock; pull?: (addon: AddonSpec, lock: ChartsLock) => string } = {},
): Promise<GateResult> {
  const template = options.template ?? true;
  const lock = options.lock ?? readLock();
  const pull = options.pull ?? ((addon: AddonSpec, chartsLock: ChartsLock) => pullChart(addon, chartsLock));
  const config = loadPlatformConfig();
  const contexts = config.environments.map((env) => deployContext(config, env.name));
  const problems = staleLockEntries(lock, ADDONS);
  const reports: ChartReport[] = [];
  const crds = new CrdSchemas();
  const rendered: SourcedObject[] = [];
  for (const addon of ADDONS) {
    // Pull, lock and unreachable-repository errors end the gate: a chart that cannot be verified is not checked.
    const chartDir = pull(addon, lock);
    const chart = loadChart(chartDir);
    const report = checkAddon(addon, chart, contexts);
    crds.addFolder(join(chartDir, 'crds'));
    if (template) {
      for (const ctx of contexts) {
        try {
          const objects = helmTemplate(chartDir, chart, {
            release: addon.name,
            namespace: addon.namespace(ctx),
            kubeVersion: `${ctx.env.cluster.kubernetesVersion}.0`,
            values: addon.values(ctx),
          });
          if (report.checked) report.checked.objects += objects.length;
          objects.forEach((object, index) => {
            if (isCrd(object)) crds.add(object);
            rendered.push({ source: `helm:${addon.name}/${ctx.env.name}#${index + 1}`, object: withoutNulls(object) });
          });
        } catch (error) {
          report.problems.push(`${ctx.env.name}: ${addon.name}: ${(error as Error).message}`);
        }
      }
    }
    reports.push(report);
    problems.push(...report.problems);
  }

  const notSchemaChecked = new Map<string, number>();
  const renderChecked = new Map<string, number>();
  if (template) {
    // Our render against the exact CRDs of the pinned charts: closed schema and the CRDs' CEL rules (ADR 0071).
    for (const item of committedRender()) {
      const object = item.object as { apiVersion: string; kind: string; metadata?: { name?: string } };
      const result = crds.validate(object);
      if (result === undefined) continue;
      const key = `${object.apiVersion}/${object.kind}`;
      renderChecked.set(key, (renderChecked.get(key) ?? 0) + 1);
      for (const problem of result)
        problems.push(`${item.source} ${object.kind} ${object.metadata?.name ?? '?'}: ${problem}`);
    }
    const registry = await loadRegistry(CHART_OUTPUT_API_VERSIONS);
    const byModel: SourcedObject[] = [];
    for (const item of rendered) {
      const object = item.object as { apiVersion: string; kind: string; metadata?: { name?: string } };
      if (registry.has(registryKey(object.apiVersion, object.kind))) byModel.push(item);
      else if (crds.has(object.apiVersion, object.kind))
        for (const problem of crds.validate(object) ?? [])
          problems.push(`${item.source} ${object.kind} ${object.metadata?.name ?? '?'}: ${problem}`);
      else {
        const key = `${object.apiVersion}/${object.kind}`;
        notSchemaChecked.set(key, (notSchemaChecked.get(key) ?? 0) + 1);
      }
    }
    problems.push(...validateObjects(byModel, registry));
  }
  return { reports, problems, notSchemaChecked, renderChecked, cel: crds.celStats };
}
