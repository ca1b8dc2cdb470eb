/**
 * The images add-on charts run outside the system namespaces (ADR 0072). Each entry says which add-on runs it, its
 * repository (the chart's default at the pinned chart version) and how the chart takes it in its values; the tag
 * and digest come from `deploy/addon-images.yaml`. The same table feeds both the add-on's Helm values and the
 * Gatekeeper constraint of its namespace (charts/policies.ts), so the repositories a namespace admits are exactly
 * the ones its charts are told to run.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ADDON_IMAGES_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'addon-images.yaml');
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

export interface AddonImagePin {
  tag: string | null;
  digest: string | null;
}

export interface AddonImage {
  /** Key in addon-images.yaml. */
  name: string;
  /** The ADDONS entry (charts/addons.ts) whose chart runs it. */
  addon: string;
  /** `registry/path`, as Gatekeeper compares it. */
  repository: string;
  /** The chart's values that make it run `repository:tag` (tag may be `tag@digest`). */
  values: (tag: string | undefined) => Record<string, unknown>;
}

const image = (repository: string, tag: string | undefined) => ({ repository, ...(tag ? { tag } : {}) });

export const ADDON_IMAGES: AddonImage[] = [
  {
    name: 'external-dns',
    addon: 'external-dns',
    repository: 'registry.k8s.io/external-dns/external-dns',
    values: (tag) => ({ image: image('registry.k8s.io/external-dns/external-dns', tag) }),
  },
  {
    // One image for the controller, its webhook and its cert controller.
    name: 'external-secrets',
    addon: 'external-secrets',
    repository: 'oci.external-secrets.io/external-secrets/external-secrets',
    values: (tag) => {
      const ref = image('oci.external-secrets.io/external-secrets/external-secrets', tag);
      return { image: ref, webhook: { image: ref }, certController: { image: ref } };
    },
  },
  {
    name: 'argo-rollouts',
    addon: 'argo-rollouts',
    repository: 'quay.io/argoproj/argo-rollouts',
    // The chart composes `registry/repository:tag`.
    values: (tag) => ({ controller: { image: { registry: 'quay.io', ...image('argoproj/argo-rollouts', tag) } } }),
  },
  {
    name: 'adot-collector',
    addon: 'adot-collector',
    repository: 'public.ecr.aws/aws-observability/aws-otel-collector',
    values: (tag) => ({ image: image('public.ecr.aws/aws-observability/aws-otel-collector', tag) }),
  },
  {
    name: 'grafana-operator',
    addon: 'grafana-operator',
    repository: 'ghcr.io/grafana/grafana-operator',
    values: (tag) => ({ image: image('ghcr.io/grafana/grafana-operator', tag) }),
  },
  {
    name: 'fluent-bit',
    addon: 'fluent-bit',
    repository: 'cr.fluentbit.io/fluent/fluent-bit',
    values: (tag) => ({ image: image('cr.fluentbit.io/fluent/fluent-bit', tag) }),
  },
];

export class AddonImageError extends Error {
  override name = 'AddonImageError';
}

/** Reads addon-images.yaml: one entry per ADDON_IMAGES name, no other; errors name the field. */
export function loadAddonImages(file: string = ADDON_IMAGES_FILE): Record<string, AddonImagePin> {
  const raw = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  const pins: Record<string, AddonImagePin> = {};
  for (const key of Object.keys(raw)) {
    if (!ADDON_IMAGES.some((entry) => entry.name === key)) {
      throw new AddonImageError(`addon-images.yaml: ${key}: no such add-on image (deploy/src/addon-images.ts)`);
    }
  }
  for (const { name } of ADDON_IMAGES) {
    const entry = raw[name] as { tag?: unknown; digest?: unknown } | undefined;
    if (entry === undefined || entry === null) throw new AddonImageError(`addon-images.yaml: ${name}: missing`);
    const tag = entry.tag ?? null;
    const digest = entry.digest ?? null;
    if (tag !== null && (typeof tag !== 'string' || !TAG.test(tag))) {
      throw new AddonImageError(
        `addon-images.yaml: ${name}.tag: expected an image tag or null, got ${JSON.stringify(tag)}`,
      );
    }
    if (digest !== null && (typeof digest !== 'string' || !DIGEST.test(digest))) {
      throw new AddonImageError(
        `addon-images.yaml: ${name}.digest: expected sha256:<64 hex> or null, got ${JSON.stringify(digest)}`,
      );
    }
    if (digest !== null && tag === null) {
      throw new AddonImageError(
        `addon-images.yaml: ${name}.tag: required with a digest (the charts compose repository:tag)`,
      );
    }
    pins[name] = { tag: tag as string | null, digest: digest as string | null };
  }
  return pins;
}

/** The Helm values that pin one add-on's images: `tag@digest` once the digest is set, else the tag (or the chart's). */
export function addonImageValues(addon: string, pins: Record<string, AddonImagePin>): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const entry of ADDON_IMAGES.filter((candidate) => candidate.addon === addon)) {
    const pin = pins[entry.name] ?? { tag: null, digest: null };
    const tag = pin.digest !== null ? `${pin.tag}@${pin.digest}` : (pin.tag ?? undefined);
    merged = mergeValues(merged, entry.values(tag));
  }
  return merged;
}

/** Lines for `make check-deploy-ready`: every add-on image not yet pinned by digest. */
export function addonImageGaps(pins: Record<string, AddonImagePin>): string[] {
  return ADDON_IMAGES.filter((entry) => pins[entry.name]?.digest == null).map(
    (entry) =>
      `addon-images.yaml: ${entry.name}.digest is null: Gatekeeper denies ${entry.repository} by tag, so ${entry.addon} does not start`,
  );
}

/** Deep merge of Helm values objects (arrays and scalars of `over` replace those of `base`). */
export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
