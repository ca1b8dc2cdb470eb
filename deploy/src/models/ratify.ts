/**
 * Typed model of Ratify's cluster-scoped `Verifier` (`config.ratify.deislabs.io/v1beta1`), written from the CRD the
 * pinned chart installs (ratify v1.4.6, charts/ratify/crds/verifier-customresourcedefinition.yaml: `spec.name` and
 * `spec.artifactTypes` required, `parameters` free-form, `source.artifact` + `source.authProvider`). No npm package
 * ships it. The interface drives the strict unknown-field check; the class validates like a kubernetes-models one.
 */
import { Ajv } from 'ajv';
import type { IObjectMetaLite } from './gatekeeper.ts';

export const RATIFY_API_VERSION = 'config.ratify.deislabs.io/v1beta1';
/**
 * File name Ratify's notation verifier looks the AWS Signer plugin up by (`notation-` + the plugin name the
 * signatures carry in `io.cncf.notary.verificationPlugin`): the downloading Verifier must have exactly this name.
 */
export const AWS_SIGNER_PLUGIN = 'notation-com.amazonaws.signer.notation.plugin';

export interface IVerifier {
  apiVersion: typeof RATIFY_API_VERSION;
  kind: 'Verifier';
  metadata: IObjectMetaLite;
  spec: {
    /** Verifier type; for a plugin also the file name it is downloaded to. */
    name: string;
    /** Comma-separated artifact media types the verifier is asked about. */
    artifactTypes: string;
    version?: string;
    address?: string;
    parameters?: Record<string, unknown>;
    /** Dynamic plugin: the OCI artifact holding the plugin binary (pinned by digest). */
    source?: { artifact: string; authProvider?: Record<string, unknown> };
  };
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const verifierSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: RATIFY_API_VERSION },
    kind: { const: 'Verifier' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
        labels: stringMap,
        annotations: stringMap,
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'artifactTypes'],
      properties: {
        name: { type: 'string', minLength: 1 },
        artifactTypes: { type: 'string', minLength: 1 },
        version: { type: 'string' },
        address: { type: 'string' },
        parameters: { type: 'object' },
        source: {
          type: 'object',
          additionalProperties: false,
          required: ['artifact'],
          // A plugin is executable code: only ever by digest.
          properties: {
            artifact: { type: 'string', pattern: '@sha256:[a-f0-9]{64}$' },
            authProvider: { type: 'object' },
          },
        },
      },
    },
  },
};

const validateVerifier = new Ajv({ allErrors: true, strict: true }).compile(verifierSchema);

/** Shaped like a kubernetes-models class: `new Verifier(obj).validate()` throws with `errors`. */
export class Verifier {
  static readonly apiVersion = RATIFY_API_VERSION;
  static readonly kind = 'Verifier';
  constructor(private readonly data: unknown) {}
  validate(): void {
    if (!validateVerifier(this.data)) {
      throw Object.assign(new Error('Verifier: schema validation failed'), { errors: validateVerifier.errors });
    }
  }
}
