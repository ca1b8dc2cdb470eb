/**
 * Typed models of OPA Gatekeeper's ConstraintTemplate (`templates.gatekeeper.sh/v1`) and constraints
 * (`constraints.gatekeeper.sh/v1beta1`). No npm package ships them, so the TypeScript interfaces (authoring and the
 * strict unknown-field check) and the JSON Schemas (runtime validation) live here, written from Gatekeeper's CRDs
 * (v3.21 API reference). Constraint kinds are created at runtime from templates, so a constraint is validated
 * against the template of its kind: `parameters` against that template's openAPIV3Schema.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export const CONSTRAINT_TEMPLATE_API_VERSION = 'templates.gatekeeper.sh/v1';
export const CONSTRAINT_API_VERSION = 'constraints.gatekeeper.sh/v1beta1';
export const GATEKEEPER_TARGET = 'admission.k8s.gatekeeper.sh';

export interface IObjectMetaLite {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A structural OpenAPI v3 schema (the subset Gatekeeper parameters use). */
export interface IParameterSchema {
  type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, IParameterSchema>;
  items?: IParameterSchema;
  required?: string[];
  enum?: Array<string | number>;
}

export interface IConstraintTemplate {
  apiVersion: typeof CONSTRAINT_TEMPLATE_API_VERSION;
  kind: 'ConstraintTemplate';
  metadata: IObjectMetaLite;
  spec: {
    crd: {
      spec: {
        names: { kind: string; shortNames?: string[] };
        validation?: { openAPIV3Schema?: IParameterSchema; legacySchema?: boolean };
      };
    };
    targets: Array<{
      target: typeof GATEKEEPER_TARGET;
      /** Rego source in `code` form, which carries the Rego language version (v1 syntax). */
      code: Array<{ engine: 'Rego'; source: { version: 'v1'; rego: string; libs?: string[] } }>;
    }>;
  };
}

export interface IConstraintMatch {
  kinds?: Array<{ apiGroups: string[]; kinds: string[] }>;
  scope?: '*' | 'Cluster' | 'Namespaced';
  namespaces?: string[];
  excludedNamespaces?: string[];
  labelSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}

export interface IConstraint {
  apiVersion: typeof CONSTRAINT_API_VERSION;
  kind: string;
  metadata: IObjectMetaLite;
  spec: {
    enforcementAction?: 'deny' | 'dryrun' | 'warn';
    match?: IConstraintMatch;
    parameters?: Record<string, unknown>;
  };
}

const stringArray = { type: 'array', items: { type: 'string' } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const metadataSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
    namespace: { type: 'string' },
    labels: stringMap,
    annotations: stringMap,
  },
};

const parameterSchemaSchema = {
  $id: 'parameterSchema',
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['object', 'array', 'string', 'integer', 'number', 'boolean'] },
    description: { type: 'string' },
    properties: { type: 'object', additionalProperties: { $ref: 'parameterSchema' } },
    items: { $ref: 'parameterSchema' },
    required: stringArray,
    enum: { type: 'array' },
  },
};

const constraintTemplateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: CONSTRAINT_TEMPLATE_API_VERSION },
    kind: { const: 'ConstraintTemplate' },
    metadata: metadataSchema,
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['crd', 'targets'],
      properties: {
        crd: {
          type: 'object',
          additionalProperties: false,
          required: ['spec'],
          properties: {
            spec: {
              type: 'object',
              additionalProperties: false,
              required: ['names'],
              properties: {
                names: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['kind'],
                  properties: { kind: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' }, shortNames: stringArray },
                },
                validation: {
                  type: 'object',
                  additionalProperties: false,
                  properties: { openAPIV3Schema: { $ref: 'parameterSchema' }, legacySchema: { type: 'boolean' } },
                },
              },
            },
          },
        },
        targets: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['target', 'code'],
            properties: {
              target: { const: GATEKEEPER_TARGET },
              code: {
                type: 'array',
                minItems: 1,
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['engine', 'source'],
                  properties: {
                    engine: { const: 'Rego' },
                    source: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['version', 'rego'],
                      properties: {
                        version: { const: 'v1' },
                        rego: { type: 'string', minLength: 1 },
                        libs: stringArray,
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const constraintSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: CONSTRAINT_API_VERSION },
    kind: { type: 'string' },
    metadata: metadataSchema,
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enforcementAction: { enum: ['deny', 'dryrun', 'warn'] },
        match: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kinds: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['apiGroups', 'kinds'],
                properties: { apiGroups: stringArray, kinds: stringArray },
              },
            },
            scope: { enum: ['*', 'Cluster', 'Namespaced'] },
            namespaces: stringArray,
            excludedNamespaces: stringArray,
            labelSelector: {
              type: 'object',
              additionalProperties: false,
              properties: { matchLabels: stringMap },
            },
            namespaceSelector: {
              type: 'object',
              additionalProperties: false,
              properties: { matchLabels: stringMap },
            },
          },
        },
        parameters: { type: 'object' },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addSchema(parameterSchemaSchema);
const validateTemplate = ajv.compile(constraintTemplateSchema);
const validateConstraint = ajv.compile(constraintSchema);

export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = error.instancePath || '(root)';
    if (error.keyword === 'additionalProperties') {
      return `${where}: unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    }
    return `${where}: ${error.message ?? error.keyword}`;
  });
}

export function constraintTemplateErrors(object: unknown): string[] {
  return validateTemplate(object) ? [] : formatAjvErrors(validateTemplate.errors);
}

/**
 * Builds a validator for a template's constraint parameters. Unknown parameters are errors here (the API server
 * would prune them silently, so a misspelt parameter would quietly disable part of a policy).
 */
export function parameterValidator(template: IConstraintTemplate): ValidateFunction {
  const schema = template.spec.crd.spec.validation?.openAPIV3Schema ?? { type: 'object' };
  return new Ajv({ allErrors: true, strict: false }).compile(closed(schema));
}

function closed(schema: IParameterSchema): object {
  const out: Record<string, unknown> = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, closed(value)]));
    out.additionalProperties = false;
  }
  if (schema.items) out.items = closed(schema.items);
  return out;
}

export function constraintErrors(object: unknown, templates: Map<string, IConstraintTemplate>): string[] {
  if (!validateConstraint(object)) return formatAjvErrors(validateConstraint.errors);
  const constraint = object as unknown as IConstraint;
  const template = templates.get(constraint.kind);
  if (!template) return [`kind ${constraint.kind}: no rendered ConstraintTemplate declares this constraint kind`];
  const validateParameters = parameterValidator(template);
  if (!validateParameters(constraint.spec.parameters ?? {})) {
    return formatAjvErrors(validateParameters.errors).map((line) => `/spec/parameters${line.replace('(root)', '')}`);
  }
  return [];
}
