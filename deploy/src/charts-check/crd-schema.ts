/**
 * Validates custom resources against the openAPIV3Schema of the CRD that defines them, taken from the chart
 * sources (a chart's `crds/` folder or CRDs its templates render). Stricter than the API server on one point, on
 * purpose: a field the schema does not declare is an error (the API server would prune it silently), except below
 * `x-kubernetes-preserve-unknown-fields`. CEL rules (`x-kubernetes-validations`) are not evaluated here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** `apiVersion|kind` → validator, from CRD objects. */
export class CrdSchemas {
  private readonly validators = new Map<string, ValidateFunction>();
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

  /** Problems of one object (empty = valid); undefined when no CRD defines its kind. */
  validate(object: { apiVersion: string; kind: string }): string[] | undefined {
    const validate = this.validators.get(`${object.apiVersion}|${object.kind}`);
    if (!validate) return undefined;
    if (validate(object)) return [];
    return (validate.errors ?? []).map(
      (error) =>
        `${error.instancePath || '(root)'}: ${error.message ?? 'invalid'}${error.keyword === 'additionalProperties' ? ` "${(error.params as { additionalProperty?: string }).additionalProperty}"` : ''}`,
    );
  }
}
