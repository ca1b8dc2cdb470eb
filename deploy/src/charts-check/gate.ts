/**
 * The chart-values gate (`make check-deploy-charts`, ADR 0070): for every add-on whose chart source the Go module
 * proxy serves, prove the source is the pinned chart version, check every values key of every environment
 * against the chart, validate against the chart's values.schema.json, then `helm template` the chart with our
 * values and validate what it renders (models and strict fields as for our own render; custom resources against
 * the fetched CRDs). Add-ons without a source are listed as not checked, with the reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { ADDONS, type AddonSpec } from '../charts/addons.ts';
import type { DeployContext } from '../context.ts';
import { RENDERED_DIR, REPO_ROOT } from '../layout.ts';
import { deployContext } from '../render.ts';
import { CHART_OUTPUT_API_VERSIONS, loadRegistry, registryKey } from '../validate/registry.ts';
import { parseYamlObjects, type SourcedObject, validateObjects } from '../validate/validate.ts';
import { type CelStats, CrdSchemas, isCrd } from './crd-schema.ts';
import { fetchChartSource } from './fetch.ts';
import { type ChartFiles, checkValuesKeys, loadChart, schemaProblems } from './keys.ts';
import { CHART_SOURCES, type ChartSource, sourcesProblems } from './sources.ts';
import { helmTemplate } from './template.ts';

/** Why the chart source is (or is not) the pinned chart version; empty when it is. */
export function versionProblems(addon: AddonSpec, source: ChartSource, chart: ChartFiles): string[] {
  if (chart.name !== addon.chart)
    return [
      `${addon.name}: ${source.module}@${source.version}/${source.path} is chart ${chart.name}, not ${addon.chart}`,
    ];
  if (source.versionCheck === 'chart-yaml' && chart.version !== addon.version)
    return [
      `${addon.name}: chart version mismatch: pinned ${addon.version}, but ${source.module}@${source.version}/${source.path}/Chart.yaml says ${chart.version}`,
    ];
  if (source.versionCheck === 'release-tag' && source.version !== `v${addon.version}`)
    return [
      `${addon.name}: chart version mismatch: pinned ${addon.version}, but the chart source is tag ${source.version}`,
    ];
  return [];
}

/** Keys of a pass-through map that the program behind the chart does not declare (e.g. a misspelt feature flag). */
export function passThroughNameProblems(
  addon: string,
  values: Record<string, unknown>,
  source: ChartSource,
  moduleDir: string,
): string[] {
  const spec = source.passThroughNames;
  if (!spec) return [];
  const text = readFileSync(join(moduleDir, spec.file), 'utf8');
  const known = new Set([...text.matchAll(spec.pattern)].map((match) => `${spec.prefix}${match[1]}`));
  const map = spec.values.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], values);
  return Object.keys((map ?? {}) as Record<string, unknown>)
    .filter((name) => !known.has(name))
    .map(
      (name) =>
        `${addon}: values key ${spec.values.join('.')}.${name} is not declared in ${source.module}@${source.version}/${spec.file} (known: ${[...known].sort().join(', ')})`,
    );
}

const minor = (version: string) => Number(version.split('.')[1]);

/** Environments whose Kubernetes version the program behind the chart does not support (empty = all supported). */
export function kubernetesRangeProblems(
  addon: string,
  source: ChartSource,
  sourceText: string,
  environments: Array<{ name: string; kubernetesVersion: string }>,
): string[] {
  const range = source.kubernetesRange;
  if (!range) return [];
  const min = range.min.exec(sourceText)?.[1];
  const max = range.max.exec(sourceText)?.[1];
  if (!min || !max)
    return [`${addon}: no supported Kubernetes range found in ${source.module}@${source.version}/${range.file}`];
  return environments
    .filter((env) => minor(env.kubernetesVersion) < minor(min) || minor(env.kubernetesVersion) > minor(max))
    .map(
      (env) =>
        `${env.name}: ${addon}: Kubernetes ${env.kubernetesVersion} is outside ${min}–${max}, what ${source.module}@${source.version} supports (${range.file})`,
    );
}

export interface ChartReport {
  addon: string;
  /** Present when checked: keys compared over all environments, objects templated, and where from. */
  checked?: { keys: number; objects: number; source: string; chartVersion: string; note?: string };
  notChecked?: string;
  problems: string[];
}

export function checkAddon(
  addon: AddonSpec,
  chart: ChartFiles,
  source: ChartSource,
  contexts: DeployContext[],
): ChartReport {
  const problems = versionProblems(addon, source, chart);
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
    checked: {
      keys,
      objects: 0,
      source: `${source.module}@${source.version}/${source.path}`,
      chartVersion: chart.version,
      note: source.note,
    },
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
  /** Kinds in the charts' output that no model and no fetched CRD describes: `apiVersion/kind` → count. */
  notSchemaChecked: Map<string, number>;
  /** Our own render's custom resources checked against the fetched CRDs (schema + CEL): `apiVersion/kind` → count. */
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

export async function runChartGate(options: { template?: boolean } = {}): Promise<GateResult> {
  const template = options.template ?? true;
  const config = loadPlatformConfig();
  const contexts = config.environments.map((env) => deployContext(config, env.name));
  const problems = sourcesProblems();
  const reports: ChartReport[] = [];
  const crds = new CrdSchemas();
  const rendered: SourcedObject[] = [];
  for (const addon of ADDONS) {
    const entry = CHART_SOURCES[addon.name];
    if (!entry) continue;
    if ('notChecked' in entry) {
      reports.push({ addon: addon.name, notChecked: entry.notChecked, problems: [] });
      continue;
    }
    const chartDir = fetchChartSource(entry.source);
    const chart = loadChart(chartDir);
    const report = checkAddon(addon, chart, entry.source, contexts);
    crds.addFolder(join(chartDir, 'crds'));
    const moduleDir = chartDir.slice(0, chartDir.length - entry.source.path.length);
    if (entry.source.kubernetesRange)
      report.problems.push(
        ...kubernetesRangeProblems(
          addon.name,
          entry.source,
          readFileSync(join(moduleDir, entry.source.kubernetesRange.file), 'utf8'),
          contexts.map((ctx) => ({ name: ctx.env.name, kubernetesVersion: ctx.env.cluster.kubernetesVersion })),
        ),
      );
    for (const ctx of contexts)
      report.problems.push(
        ...passThroughNameProblems(addon.name, addon.values(ctx), entry.source, moduleDir).map(
          (problem) => `${ctx.env.name}: ${problem}`,
        ),
      );
    for (const folder of entry.source.crdFolders ?? []) crds.addFolder(join(moduleDir, folder));
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
