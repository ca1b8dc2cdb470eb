/**
 * Typed models of the three Grafana Operator kinds the render uses (`grafana.integreatly.org/v1beta1`): an external
 * `Grafana` (the environment's Amazon Managed Grafana workspace, reached with a service account token), and the
 * `GrafanaDatasource` and `GrafanaDashboard` objects it provisions. Only the fields we render are modelled, from the
 * operator's v5 API reference; unknown fields fail (strict), like deploy's other own models. No npm package ships
 * them.
 */
import { Ajv } from 'ajv';
import type { IObjectMetaLite } from './gatekeeper.ts';

export const GRAFANA_OPERATOR_API_VERSION = 'grafana.integreatly.org/v1beta1';

interface SecretKeySelector {
  name: string;
  key: string;
}
interface InstanceSelector {
  matchLabels: Record<string, string>;
}

export interface IGrafana {
  apiVersion: typeof GRAFANA_OPERATOR_API_VERSION;
  kind: 'Grafana';
  metadata: IObjectMetaLite & { namespace: string };
  spec: { external: { url: string; apiKey: SecretKeySelector } };
}

export interface IGrafanaDatasource {
  apiVersion: typeof GRAFANA_OPERATOR_API_VERSION;
  kind: 'GrafanaDatasource';
  metadata: IObjectMetaLite & { namespace: string };
  spec: {
    instanceSelector: InstanceSelector;
    resyncPeriod?: string;
    /** Values copied from a Secret into the data source (`${KEY}` in `url` is replaced). */
    valuesFrom?: { targetPath: string; valueFrom: { secretKeyRef: SecretKeySelector } }[];
    datasource: {
      name: string;
      type: string;
      uid: string;
      access: 'proxy';
      url?: string;
      isDefault?: boolean;
      editable?: boolean;
      jsonData: Record<string, unknown>;
    };
  };
}

export interface IGrafanaDashboard {
  apiVersion: typeof GRAFANA_OPERATOR_API_VERSION;
  kind: 'GrafanaDashboard';
  metadata: IObjectMetaLite & { namespace: string };
  spec: {
    instanceSelector: InstanceSelector;
    resyncPeriod?: string;
    /** Folder title in Grafana. */
    folder?: string;
    /** The dashboard model as JSON text. */
    json: string;
  };
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const name = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 };
const metadata = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'namespace'],
  properties: { name, namespace: name, labels: stringMap, annotations: stringMap },
};
const secretKey = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'key'],
  properties: { name, key: { type: 'string', minLength: 1 } },
};
const instanceSelector = {
  type: 'object',
  additionalProperties: false,
  required: ['matchLabels'],
  properties: { matchLabels: stringMap },
};
const duration = { type: 'string', pattern: '^([0-9]+(ns|us|µs|ms|s|m|h))+$' };
const object = (kind: string, spec: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: GRAFANA_OPERATOR_API_VERSION },
    kind: { const: kind },
    metadata,
    spec: { type: 'object', additionalProperties: false, ...spec },
  },
});

const schemas = {
  Grafana: object('Grafana', {
    required: ['external'],
    properties: {
      external: {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'apiKey'],
        properties: { url: { type: 'string', pattern: '^https://' }, apiKey: secretKey },
      },
    },
  }),
  GrafanaDatasource: object('GrafanaDatasource', {
    required: ['instanceSelector', 'datasource'],
    properties: {
      instanceSelector,
      resyncPeriod: duration,
      valuesFrom: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['targetPath', 'valueFrom'],
          properties: {
            targetPath: { type: 'string', minLength: 1 },
            valueFrom: {
              type: 'object',
              additionalProperties: false,
              required: ['secretKeyRef'],
              properties: { secretKeyRef: secretKey },
            },
          },
        },
      },
      datasource: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'type', 'uid', 'access', 'jsonData'],
        properties: {
          name: { type: 'string', minLength: 1 },
          type: { type: 'string', minLength: 1 },
          uid: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,40}$' },
          access: { const: 'proxy' },
          url: { type: 'string' },
          isDefault: { type: 'boolean' },
          editable: { type: 'boolean' },
          jsonData: { type: 'object' },
        },
      },
    },
  }),
  GrafanaDashboard: object('GrafanaDashboard', {
    required: ['instanceSelector', 'json'],
    properties: {
      instanceSelector,
      resyncPeriod: duration,
      folder: { type: 'string', minLength: 1 },
      json: { type: 'string', minLength: 2 },
    },
  }),
};

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = Object.fromEntries(
  Object.entries(schemas).map(([kind, schema]) => [kind, ajv.compile(schema)]),
) as Record<keyof typeof schemas, ReturnType<Ajv['compile']>>;

/** A class per kind, shaped like a kubernetes-models class: `new Model(obj).validate()` throws with `errors`. */
function model(kind: keyof typeof schemas) {
  const validate = validators[kind];
  return class {
    static readonly apiVersion = GRAFANA_OPERATOR_API_VERSION;
    static readonly kind = kind;
    constructor(private readonly data: unknown) {}
    validate(): void {
      if (!validate(this.data)) {
        throw Object.assign(new Error(`${kind}: schema validation failed`), { errors: validate.errors });
      }
    }
  };
}

export const Grafana = model('Grafana');
export const GrafanaDatasource = model('GrafanaDatasource');
export const GrafanaDashboard = model('GrafanaDashboard');
