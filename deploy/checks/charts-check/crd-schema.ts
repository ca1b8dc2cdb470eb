/**
 * Validates custom resources against the openAPIV3Schema of the CRD that defines them, taken from the chart
 * sources (a chart's `crds/` folder or CRDs its templates render). Stricter than the API server on one point, on
 * purpose: a field the schema does not declare is an error (the API server would prune it silently), except below
 * `x-kubernetes-preserve-unknown-fields`. CEL rules (`x-kubernetes-validations`) are evaluated with
 * @marcbachmann/cel-js (ADR 0071) the way the API server does on create: `self` is the value at the rule's node,
 * integers of `integer` fields are CEL ints, a rule that is false or errors fails with its `message`, and
 * transition rules (those reading `oldSelf`) are skipped — there is no old object on create.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Environment } from '@marcbachmann/cel-js';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

type Json = Record<string, unknown>;
const isMap = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

interface Crd {
  kind: 'CustomResourceDefinition';
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; schema?: { openAPIV3Schema?: Json } }>;
  };
}

/** OpenAPI → JSON Schema for ajv: closes objects that declare properties, drops Kubernetes-only keywords. */
function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!isMap(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable') continue;
    if (key === 'properties' && isMap(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, strictSchema(child)]));
    } else {
      out[key] = strictSchema(value);
    }
  }
  // `int-or-string` fields carry no type: both are fine.
  if (node['x-kubernetes-int-or-string'] === true) return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  if (
    isMap(node.properties) &&
    node['x-kubernetes-preserve-unknown-fields'] !== true &&
    out.additionalProperties === undefined
  )
    out.additionalProperties = false;
  // A nullable field may be null; without the keyword the API server rejects null.
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

export function isCrd(object: unknown): object is Crd {
  return (
    isMap(object) &&
    object.apiVersion === 'apiextensions.k8s.io/v1' &&
    object.kind === 'CustomResourceDefinition' &&
    isMap(object.spec)
  );
}

interface CelRule {
  rule: string;
  message?: string;
}

/**
 * Kubernetes' CEL environment, as far as the fetched CRDs need it: standard CEL + macros (cel-js), plus the
 * Kubernetes regex library's `find` (first match or ''). Anything else a rule calls fails its type check and is
 * reported as not evaluated, never as passed.
 */
function kubernetesCel(): Environment {
  return new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false }).registerFunction(
    'string.find(string): string',
    (value: string, pattern: string) => new RegExp(pattern).exec(value)?.[0] ?? '',
  );
}

/** The value as the API server hands it to CEL: `integer` fields become ints (BigInt), not doubles. */
function celValue(value: unknown, schema: Json | undefined): unknown {
  if (schema?.type === 'integer' && typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map((item) => celValue(item, isMap(schema?.items) ? schema.items : undefined));
  if (!isMap(value)) return value;
  const properties = isMap(schema?.properties) ? schema.properties : {};
  const additional = isMap(schema?.additionalProperties) ? schema.additionalProperties : undefined;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      celValue(child, (properties[key] as Json | undefined) ?? additional),
    ]),
  );
}

export interface CelStats {
  /** Rule evaluations run (a rule under a list counts once per element). */
  evaluated: number;
  /** Distinct rules skipped: transition rules (`oldSelf`) and rules the environment cannot type-check. */
  skipped: Map<string, string>;
}

/** `apiVersion|kind` → validator, from CRD objects. */
export class CrdSchemas {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly openApi = new Map<string, Json>();
  private readonly cel = kubernetesCel();
  private readonly celChecked = new Map<string, string | null>();
  readonly celStats: CelStats = { evaluated: 0, skipped: new Map() };
  private readonly ajv = CrdSchemas.newAjv();

  /** Formats the API server checks; any other format (a free-form hint in some CRDs) is not checked. */
  private static newAjv(): Ajv {
    const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    const integer = (bits: number) => (value: number) =>
      Number.isInteger(value) && value >= -(2 ** (bits - 1)) && value < 2 ** (bits - 1);
    ajv.addFormat('int32', { type: 'number', validate: integer(32) });
    ajv.addFormat('int64', { type: 'number', validate: integer(64) });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    return ajv;
  }

  add(crd: Crd): void {
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      const apiVersion = `${crd.spec.group}/${version.name}`;
      if (this.validators.has(`${apiVersion}|${crd.spec.names.kind}`)) continue;
      // apiVersion, kind and metadata are the API server's, not the CRD's, to check.
      const closed = strictSchema(schema) as Json;
      const properties = { ...(closed.properties as Json), apiVersion: {}, kind: {}, metadata: { type: 'object' } };
      this.validators.set(`${apiVersion}|${crd.spec.names.kind}`, this.ajv.compile({ ...closed, properties }));
      this.openApi.set(`${apiVersion}|${crd.spec.names.kind}`, schema);
    }
  }

  /** Every CRD in a chart's `crds/` folder (YAML files, any depth of documents). */
  addFolder(dir: string): void {
    let files: string[];
    try {
      files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
    } catch {
      return;
    }
    for (const file of files) {
      for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const object = document.toJS() as unknown;
        if (isCrd(object)) this.add(object);
      }
    }
  }

  has(apiVersion: string, kind: string): boolean {
    return this.validators.has(`${apiVersion}|${kind}`);
  }

  /** Problems of one object (empty = valid): schema, then CEL rules; undefined when no CRD defines its kind. */
  validate(object: { apiVersion: string; kind: string }): string[] | undefined {
    const key = `${object.apiVersion}|${object.kind}`;
    const validate = this.validators.get(key);
    if (!validate) return undefined;
    const problems = validate(object)
      ? []
      : (validate.errors ?? []).map(
          (error) =>
            `${error.instancePath || '(root)'}: ${error.message ?? 'invalid'}${error.keyword === 'additionalProperties' ? ` "${(error.params as { additionalProperty?: string }).additionalProperty}"` : ''}`,
        );
    this.celRules(object, this.openApi.get(key), '', problems);
    return problems;
  }

  /** Why a rule cannot be evaluated here, or null when it can (type-checked once per distinct rule). */
  private unsupported(rule: string): string | null {
    let reason = this.celChecked.get(rule);
    if (reason === undefined) {
      if (/\boldSelf\b/.test(rule)) reason = 'transition rule (oldSelf): not evaluated on create';
      else {
        try {
          this.cel.check(rule);
          reason = null;
        } catch (error) {
          reason = `not supported by the CEL environment: ${(error as Error).message.split('\n')[0]}`;
        }
      }
      this.celChecked.set(rule, reason);
    }
    return reason;
  }

  private celRules(value: unknown, schema: Json | undefined, path: string, problems: string[]): void {
    if (value === undefined || value === null || !schema) return;
    const rules = (schema['x-kubernetes-validations'] ?? []) as CelRule[];
    for (const { rule, message } of rules) {
      const reason = this.unsupported(rule);
      if (reason) {
        this.celStats.skipped.set(rule, reason);
        continue;
      }
      this.celStats.evaluated++;
      let result: unknown;
      try {
        result = this.cel.evaluate(rule, { self: celValue(value, schema) });
      } catch (error) {
        result = (error as Error).message.split('\n')[0];
      }
      if (result !== true)
        problems.push(
          `${path || '(root)'}: ${message ?? `failed rule: ${rule}`}${typeof result === 'string' ? ` (${result})` : ''}`,
        );
    }
    if (isMap(value) && isMap(schema.properties))
      for (const [key, child] of Object.entries(schema.properties))
        this.celRules(value[key], child as Json, `${path}/${key}`, problems);
    if (Array.isArray(value) && isMap(schema.items))
      for (const [index, item] of value.entries())
        this.celRules(item, schema.items as Json, `${path}/${index}`, problems);
    if (isMap(value) && isMap(schema.additionalProperties))
      for (const [key, child] of Object.entries(value))
        this.celRules(child, schema.additionalProperties, `${path}/${key}`, problems);
  }
}
