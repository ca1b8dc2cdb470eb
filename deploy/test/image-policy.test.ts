/**
 * Images and exemptions (ADR 0065, ADR 0072): every namespace the render runs pods in admits only the repositories
 * its charts are pinned to, by digest, or is in the one exemption table with a reason; the log shipper's namespace
 * is exempt only from running as root and gets read-only /var/log, nothing else.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, splitPolicies } from '../checks/policy/harness.ts';
import { ADDON_IMAGES, addonImageGaps, loadAddonImages } from '../src/addon-images.ts';
import { ADDONS } from '../src/charts/addons.ts';
import { POLICY_EXEMPTIONS } from '../src/charts/policies.ts';
import { deployContext, renderObjects } from '../src/render.ts';
import { config, type Json } from './helpers.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const ctxOf = (envName: string, digest: string | null = null) => {
  const ctx = deployContext(config, envName);
  if (digest === null) return ctx;
  const pinned = Object.fromEntries(
    ADDON_IMAGES.map((image) => [image.name, { tag: ctx.addonImages[image.name]?.tag ?? 'v1', digest }]),
  );
  return { ...ctx, addonImages: pinned };
};
const objectsOf = (ctx: ReturnType<typeof ctxOf>) => [...renderObjects(ctx).values()].flat() as Json[];

/** `registry/repository[:tag]` of every image a chart's values name (objects with a string `repository`). */
function imagesInValues(values: Json): string[] {
  if (Array.isArray(values)) return values.flatMap(imagesInValues);
  if (typeof values !== 'object' || values === null) return [];
  const own =
    typeof values.repository === 'string'
      ? [`${values.registry ? `${values.registry}/` : ''}${values.repository}${values.tag ? `:${values.tag}` : ''}`]
      : [];
  return [...own, ...Object.values(values).flatMap(imagesInValues)];
}

const pod = (namespace: string, image: string, extra: Json = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'probe', namespace },
  spec: {
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'main',
        image,
        securityContext: { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } },
      },
    ],
    ...extra,
  },
});

describe.each(config.environments.map((env) => env.name))('%s', (envName) => {
  const ctx = ctxOf(envName, DIGEST);
  const objects = objectsOf(ctx);
  const { templates, constraints } = splitPolicies(objects);
  const imageConstraints: Json[] = constraints.filter((c) => c.kind === 'K8sAllowedImages');
  const helmApps = objects.filter((o) => o.kind === 'Application' && o.spec.source.chart);
  const exempt = (kind: string) =>
    POLICY_EXEMPTIONS.filter((row) => row.kinds.includes(kind) && !row.parameters).map((row) => row.namespace(ctx));

  it('covers every namespace pods run in with an image constraint, or an exemption with a reason', () => {
    const namespaces = new Set([ctx.env.names.apiNamespace, ...helmApps.map((app) => app.spec.destination.namespace)]);
    for (const namespace of namespaces) {
      const own = imageConstraints.filter((c) => c.spec.match.namespaces?.includes(namespace));
      if (exempt('K8sAllowedImages').includes(namespace)) {
        expect(own, namespace).toEqual([]);
      } else {
        expect(own, namespace).toHaveLength(1);
      }
    }
    for (const row of POLICY_EXEMPTIONS) expect(row.reason.length, row.kinds.join()).toBeGreaterThan(30);
    // The add-on namespaces are covered, not only the API's.
    expect(imageConstraints.length).toBeGreaterThanOrEqual(6);
  });

  it("admits in each namespace exactly the repositories its charts' rendered values run, pinned by digest", () => {
    for (const constraint of imageConstraints) {
      const namespace = constraint.spec.match.namespaces[0];
      const inValues = helmApps
        .filter((app) => app.spec.destination.namespace === namespace)
        .flatMap((app) => imagesInValues(app.spec.source.helm.valuesObject));
      if (namespace === ctx.env.names.apiNamespace) inValues.push(ctx.apiImage.reference);
      const repositories = [...new Set(inValues.map((ref) => ref.split('@')[0]?.replace(/:[^/:]+$/, '')))].sort();
      expect(constraint.spec.parameters.repositories, namespace).toEqual(repositories);
      for (const ref of inValues) expect(ref, namespace).toMatch(/@sha256:[a-f0-9]{64}$/);
    }
  });

  it('denies an add-on image by tag, and one namespace running another namespace’s image', () => {
    const [first, second] = imageConstraints.filter((c) => c.spec.match.namespaces[0] !== ctx.env.names.apiNamespace);
    const nsA = first.spec.match.namespaces[0];
    const repoA = first.spec.parameters.repositories[0];
    const repoB = second.spec.parameters.repositories[0];
    const run = evaluate(
      [pod(nsA, `${repoA}:v1@${DIGEST}`), pod(nsA, `${repoA}:v1`), pod(nsA, `${repoB}:v1@${DIGEST}`)],
      templates,
      imageConstraints,
    );
    const deniedAt = (index: number) => run.violations.filter((v) => v.index === index).length;
    expect(deniedAt(0)).toBe(0);
    expect(deniedAt(1)).toBe(1);
    expect(deniedAt(2)).toBe(1);
  });

  describe('the log shipper namespace', () => {
    const logging = ctx.env.names.podIdentityServiceAccounts.fluentBit.namespace;
    const fluentBit = (mutate: (p: Json) => void = () => {}) => {
      const image = `cr.fluentbit.io/fluent/fluent-bit:v1@${DIGEST}`;
      const p: Json = pod(logging, image, { volumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }] });
      p.spec.securityContext = { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } };
      p.spec.containers[0].volumeMounts = [{ name: 'varlog', mountPath: '/var/log', readOnly: true }];
      mutate(p);
      return p;
    };
    const CASES: [string, string[], (p: Json) => void][] = [
      ['as rendered: root, /var/log read-only', [], () => {}],
      ['/var/log writable', ['K8sNoHostAccess'], (p) => (p.spec.containers[0].volumeMounts[0].readOnly = false)],
      ['another host path', ['K8sNoHostAccess'], (p) => (p.spec.volumes[0].hostPath.path = '/var/lib')],
      ['host network', ['K8sNoHostAccess'], (p) => (p.spec.hostNetwork = true)],
      ['privileged', ['K8sNoPrivileged'], (p) => (p.spec.containers[0].securityContext.privileged = true)],
      [
        'a capability added',
        ['K8sDropAllCapabilities'],
        (p) => (p.spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']),
      ],
      [
        'an image from elsewhere',
        ['K8sAllowedImages'],
        (p) => (p.spec.containers[0].image = `docker.io/library/busybox@${DIGEST}`),
      ],
    ];
    const run = evaluate(
      CASES.map(([, , mutate]) => fluentBit(mutate)),
      templates,
      constraints,
    );
    it.each(CASES.map(([name, expected], index) => [name, expected, index] as const))(
      '%s → denied by %j',
      (_n, expected, index) => {
        const kinds = [...new Set(run.violations.filter((v) => v.index === index).map((v) => v.constraintKind))];
        expect(kinds.sort()).toEqual([...expected].sort());
      },
    );

    it('is not skipped by the Gatekeeper webhook, and its chart values match its exemptions', () => {
      const gatekeeper = helmApps.find((app) => app.metadata.name === 'gatekeeper').spec.source.helm.valuesObject;
      expect(gatekeeper.controllerManager.exemptNamespaces).not.toContain(logging);
      expect(gatekeeper.postInstall.labelNamespace.extraNamespaces).not.toContain(logging);
      const values = helmApps.find((app) => app.metadata.name === 'fluent-bit').spec.source.helm.valuesObject;
      expect(values.daemonSetVolumes).toEqual([{ name: 'varlog', hostPath: { path: '/var/log' } }]);
      expect(values.daemonSetVolumeMounts).toEqual([{ name: 'varlog', mountPath: '/var/log', readOnly: true }]);
      expect(values.securityContext).toMatchObject({
        privileged: false,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    });
  });
});

describe('addon-images.yaml', () => {
  const write = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'addon-images-')), 'addon-images.yaml');
    writeFileSync(file, text);
    return file;
  };
  const full = (override: string) =>
    ADDON_IMAGES.map((image) => `${image.name}: { tag: "v1", digest: null }`)
      .concat(override)
      .join('\n');

  it.each([
    [
      'a digest without a tag',
      `fluent-bit: { tag: null, digest: "${DIGEST}" }`,
      /fluent-bit\.tag: required with a digest/,
    ],
    ['a malformed digest', 'fluent-bit: { tag: "v1", digest: "sha256:abc" }', /fluent-bit\.digest: expected sha256/],
    ['an unknown image', 'busybox: { tag: "v1", digest: null }', /busybox: no such add-on image/],
  ])('refuses %s, naming the field', (_name, line, message) => {
    const text = full('')
      .split('\n')
      .filter((l) => !l.startsWith(line.split(':')[0] ?? ''))
      .concat(line)
      .join('\n');
    expect(() => loadAddonImages(write(text))).toThrow(message);
  });

  it('lists every image without a digest as a first-deploy gap', () => {
    const pins = loadAddonImages(write(full('')));
    expect(addonImageGaps(pins)).toHaveLength(ADDON_IMAGES.length);
    expect(addonImageGaps(pins)[0]).toMatch(/digest is null: Gatekeeper denies/);
  });

  it('names only add-ons that exist', () => {
    for (const image of ADDON_IMAGES) expect(ADDONS.map((addon) => addon.name)).toContain(image.addon);
  });
});
