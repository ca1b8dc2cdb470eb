/**
 * apiVersion/kind → schema model. Only the API versions listed here may appear in a render: the cluster's
 * Kubernetes (config `cluster.kubernetesVersion`) serves them, and the add-on CRDs at the pinned chart
 * versions define them. Deprecated or removed versions (policy/v1beta1, autoscaling/v2beta2, karpenter v1beta1 …)
 * are absent on purpose, and an object whose apiVersion/kind has no entry fails validation rather than being
 * skipped.
 */
import { CONSTRAINT_TEMPLATE_API_VERSION } from '../../src/models/gatekeeper.ts';
import {
  GRAFANA_OPERATOR_API_VERSION,
  Grafana,
  GrafanaDashboard,
  GrafanaDatasource,
} from '../../src/models/grafana-operator.ts';
import { RATIFY_API_VERSION, Verifier } from '../../src/models/ratify.ts';

/** A model class of kubernetes-models: `new Model(obj).validate()` throws on schema errors. */
export interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

export interface RegistryEntry {
  apiVersion: string;
  kind: string;
  /** kubernetes-models class, absent for Gatekeeper kinds (validated by models/gatekeeper.ts). */
  model?: ModelClass;
  /** Module and exported interface name the strict unknown-field check type-checks the object against. */
  typeModule: string;
  typeName: string;
}

/** Allowed apiVersion → the modules whose models define its kinds. */
export const ALLOWED_API_VERSIONS: Record<string, string[]> = {
  v1: ['kubernetes-models/v1'],
  'apps/v1': ['kubernetes-models/apps/v1'],
  'batch/v1': ['kubernetes-models/batch/v1'],
  'autoscaling/v2': ['kubernetes-models/autoscaling/v2'],
  'policy/v1': ['kubernetes-models/policy/v1'],
  'networking.k8s.io/v1': ['kubernetes-models/networking.k8s.io/v1'],
  'rbac.authorization.k8s.io/v1': ['kubernetes-models/rbac.authorization.k8s.io/v1'],
  'scheduling.k8s.io/v1': ['kubernetes-models/scheduling.k8s.io/v1'],
  'argoproj.io/v1alpha1': [
    '@kubernetes-models/argo-cd/argoproj.io/v1alpha1',
    '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1',
  ],
  'karpenter.sh/v1': ['@kubernetes-models/karpenter/karpenter.sh/v1'],
  'karpenter.k8s.aws/v1': ['@kubernetes-models/karpenter/karpenter.k8s.aws/v1'],
  'external-secrets.io/v1': ['@kubernetes-models/external-secrets/external-secrets.io/v1'],
};

/** Gatekeeper kinds: typed by deploy's own models (no npm package ships them). */
export const GATEKEEPER_TYPES_MODULE = './src/models/gatekeeper.ts';

/** Grafana Operator kinds: typed by deploy's own models of the fields we render. */
export const GRAFANA_OPERATOR_TYPES_MODULE = './src/models/grafana-operator.ts';

/** Ratify kinds: typed by deploy's own model of the pinned chart's CRD. */
export const RATIFY_TYPES_MODULE = './src/models/ratify.ts';

export type Registry = Map<string, RegistryEntry>;

export const registryKey = (apiVersion: string, kind: string): string => `${apiVersion}|${kind}`;

/**
 * What add-on charts render on top of our own objects (their CRDs, webhooks): allowed only in the output of
 * `helm template` that `make check-deploy-charts` validates, never in our render.
 */
export const CHART_OUTPUT_API_VERSIONS: Record<string, string[]> = {
  'apiextensions.k8s.io/v1': ['kubernetes-models/apiextensions.k8s.io/v1'],
  'admissionregistration.k8s.io/v1': ['kubernetes-models/admissionregistration.k8s.io/v1'],
};

export async function loadRegistry(extraApiVersions: Record<string, string[]> = {}): Promise<Registry> {
  const registry: Registry = new Map();
  for (const [apiVersion, modules] of Object.entries({ ...ALLOWED_API_VERSIONS, ...extraApiVersions })) {
    for (const specifier of modules) {
      const module = (await import(specifier)) as Record<string, unknown>;
      for (const [exported, value] of Object.entries(module)) {
        if (typeof value !== 'function') continue;
        const model = value as unknown as Partial<ModelClass>;
        if (model.apiVersion !== apiVersion || typeof model.kind !== 'string') continue;
        // The list types (`FooList`) are models too; they never belong in a render.
        if (model.kind.endsWith('List') || exported !== model.kind) continue;
        registry.set(registryKey(apiVersion, model.kind), {
          apiVersion,
          kind: model.kind,
          model: model as ModelClass,
          // The per-kind module: the compiler then loads only the typings this kind needs, not its whole group.
          typeModule: `${specifier}/${model.kind}`,
          typeName: `I${model.kind}`,
        });
      }
    }
  }
  registry.set(registryKey(CONSTRAINT_TEMPLATE_API_VERSION, 'ConstraintTemplate'), {
    apiVersion: CONSTRAINT_TEMPLATE_API_VERSION,
    kind: 'ConstraintTemplate',
    typeModule: GATEKEEPER_TYPES_MODULE,
    typeName: 'IConstraintTemplate',
  });
  // Ratify's Verifier (the AWS Signer plugin download): deploy's own model of the pinned chart's CRD.
  registry.set(registryKey(RATIFY_API_VERSION, 'Verifier'), {
    apiVersion: RATIFY_API_VERSION,
    kind: 'Verifier',
    model: Verifier,
    typeModule: RATIFY_TYPES_MODULE,
    typeName: 'IVerifier',
  });
  // The Grafana Operator's objects (dashboards provisioned into Managed Grafana): deploy's own models.
  for (const model of [Grafana, GrafanaDatasource, GrafanaDashboard]) {
    registry.set(registryKey(GRAFANA_OPERATOR_API_VERSION, model.kind), {
      apiVersion: GRAFANA_OPERATOR_API_VERSION,
      kind: model.kind,
      model,
      typeModule: GRAFANA_OPERATOR_TYPES_MODULE,
      typeName: `I${model.kind}`,
    });
  }
  return registry;
}
