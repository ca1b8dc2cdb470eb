/**
 * Checks the Helm values we set against the chart's own source (ADR 0070): every key path we set must exist in
 * the chart's values.yaml, or be declared by its values.schema.json, or be read by a template as `.Values.<path>`
 * (keys a chart documents only as comments). Where the chart ships values.schema.json, the values Helm would
 * compute (chart defaults merged with ours) are validated against it, as `helm install` would.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

export interface ChartFiles {
  name: string;
  version: string;
  appVersion?: string;
  values: Record<string, unknown>;
  schema?: Record<string, unknown>;
  /** Every template file's text, concatenated (for `.Values.x.y` references). */
  templates: string;
}

type Json = Record<string, unknown>;
const isMap = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

export function loadChart(dir: string): ChartFiles {
  const chart = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as {
    name: string;
    version: unknown;
    appVersion?: unknown;
  };
  let schema: Json | undefined;
  try {
    schema = JSON.parse(readFileSync(join(dir, 'values.schema.json'), 'utf8')) as Json;
  } catch {
    schema = undefined;
  }
  let templates = '';
  try {
    templates = listFiles(join(dir, 'templates'))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
  } catch {
    templates = '';
  }
  return {
    name: chart.name,
    version: String(chart.version),
    appVersion: chart.appVersion === undefined ? undefined : String(chart.appVersion),
    values: (parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) ?? {}) as Json,
    schema,
    templates,
  };
}

/** The schema node of `path` (through `properties`), or undefined when the schema does not declare it. */
function schemaNode(schema: Json | undefined, path: string[]): Json | undefined {
  let node: unknown = schema;
  for (const key of path) {
    const properties = isMap(node) ? node.properties : undefined;
    if (!isMap(properties) || !isMap(properties[key])) return undefined;
    node = properties[key];
  }
  return node as Json;
}

function referencedByTemplates(templates: string, path: string[]): boolean {
  const reference = `.Values.${path.join('.')}`;
  let from = templates.indexOf(reference);
  while (from !== -1) {
    const next = templates[from + reference.length] ?? '';
    if (!/[A-Za-z0-9_]/.test(next)) return true;
    from = templates.indexOf(reference, from + 1);
  }
  return false;
}

/**
 * Whether the templates hand this value over whole (`toYaml .Values.x`, `with .Values.x` … `toYaml .`, or
 * `range $k, $v := .Values.x`): then its content is the chart's free-form pass-through (a nodeSelector, the
 * tolerations, a map of feature flags), checked by the rendered objects' schemas, not by the chart's defaults.
 */
function passedThrough(templates: string, path: string[]): boolean {
  const reference = `.Values.${path.join('.')}`;
  for (let at = templates.indexOf(reference); at !== -1; at = templates.indexOf(reference, at + 1)) {
    if (/[A-Za-z0-9_.]/.test(templates[at + reference.length] ?? '')) continue;
    const before = templates.slice(Math.max(0, at - 40), at);
    const after = templates.slice(at + reference.length, at + reference.length + 160);
    if (/toYaml\s*\(?\s*$/.test(before) || /range\s+(\$\w+\s*,\s*)?\$\w+\s*:=\s*$/.test(before)) return true;
    if (/with\s+$/.test(before) && /^\s*-?\}\}[\s\S]*?toYaml\s+\./.test(after)) return true;
  }
  return false;
}

export interface KeyCheck {
  /** Key paths compared (list elements' keys counted once per element). */
  checked: number;
  problems: string[];
}

/**
 * Every key path of `ours` against the chart. A path is followed into the chart's defaults while both sides are
 * non-empty maps; an empty map, a null, a scalar or a list default ends the walk (free-form below that point),
 * except a list whose default elements are maps: our elements' keys must then appear in some default element.
 */
export function checkValuesKeys(addon: string, ours: Json, chart: ChartFiles): KeyCheck {
  const label = `${chart.name}@${chart.version}`;
  const problems: string[] = [];
  let checked = 0;
  const known = (defaults: unknown, key: string, path: string[]) =>
    (isMap(defaults) && key in defaults) ||
    schemaNode(chart.schema, path) !== undefined ||
    referencedByTemplates(chart.templates, path);

  const walk = (value: Json, defaults: unknown, path: string[]) => {
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      checked++;
      if (!known(defaults, key, childPath)) {
        problems.push(
          `${addon}: values key ${childPath.join('.')} does not exist in chart ${label} (values.yaml, values.schema.json, templates)`,
        );
        continue;
      }
      const fallback = isMap(defaults) ? defaults[key] : undefined;
      if (passedThrough(chart.templates, childPath)) continue;
      if (isMap(child) && isMap(fallback) && Object.keys(fallback).length > 0) {
        walk(child, fallback, childPath);
      } else if (Array.isArray(child) && Array.isArray(fallback) && fallback.some(isMap)) {
        const elementKeys = new Set(fallback.filter(isMap).flatMap((element) => Object.keys(element)));
        child.forEach((element, index) => {
          if (!isMap(element)) return;
          for (const elementKey of Object.keys(element)) {
            checked++;
            if (!elementKeys.has(elementKey))
              problems.push(
                `${addon}: values key ${childPath.join('.')}[${index}].${elementKey} does not exist in chart ${label} (no default element of ${childPath.join('.')} has it)`,
              );
          }
        });
      }
    }
  };
  walk(ours, chart.values, []);
  return { checked, problems };
}

/** Helm's merge of user values over chart defaults: maps merge, anything else replaces, null deletes. */
export function mergeValues(defaults: unknown, ours: unknown): unknown {
  if (!isMap(defaults) || !isMap(ours)) return ours;
  const merged: Json = { ...defaults };
  for (const [key, value] of Object.entries(ours)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeValues(defaults[key], value);
  }
  return merged;
}

/** The merged values against the chart's values.schema.json (draft-07 or 2020-12); empty when there is none. */
export function schemaProblems(addon: string, ours: Json, chart: ChartFiles): string[] {
  if (!chart.schema) return [];
  const draft2020 = String(chart.schema.$schema ?? '').includes('2020-12');
  const ajv = draft2020 ? new Ajv2020({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false });
  const { $schema: _ignored, ...schema } = chart.schema;
  const validate = ajv.compile(schema);
  if (validate(mergeValues(chart.values, ours))) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${addon}: values ${error.instancePath || '(root)'} ${error.message ?? 'invalid'} (chart ${chart.name}@${chart.version} values.schema.json)`,
  );
}
