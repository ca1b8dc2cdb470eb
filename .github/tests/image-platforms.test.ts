/**
 * Every architecture a Karpenter NodePool may start has an image: the `kubernetes.io/arch` values of each
 * environment's rendered NodePools against the platforms release.yml builds into the index (ADR 0095). An image
 * missing an architecture would crash-loop (exec format error) on the nodes of that architecture.
 */
import { describe, expect, it } from 'vitest';
import { type Json, renderedObjects, workflows } from './helpers.ts';

const release = workflows().find((w) => w.file === 'release.yml');

/** `linux/<arch>` platforms the release builds, from its PLATFORMS variable. */
export function releasePlatforms(doc: Json): string[] {
  return String(doc?.env?.PLATFORMS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** One line per NodePool architecture no platform covers (or a NodePool that does not constrain its architecture). */
export function uncoveredArchitectures(nodePools: Json[], platforms: string[]): string[] {
  const built = new Set(platforms.filter((p) => p.startsWith('linux/')).map((p) => p.slice('linux/'.length)));
  return nodePools.flatMap((pool) => {
    const name = pool.metadata?.name;
    const requirement = (pool.spec?.template?.spec?.requirements ?? []).find(
      (r: Json) => r.key === 'kubernetes.io/arch',
    );
    if (requirement?.operator !== 'In')
      return [`NodePool ${name}: no kubernetes.io/arch In requirement (it could start any architecture)`];
    return (requirement.values as string[])
      .filter((arch) => !built.has(arch))
      .map((arch) => `NodePool ${name}: starts ${arch} nodes, but release.yml builds no linux/${arch} image`);
  });
}

const nodePools = (envName: string) => renderedObjects(envName, 'platform').filter((o: Json) => o?.kind === 'NodePool');

describe.each(['dev', 'staging', 'prod'])('%s: the image runs on every node a NodePool can start', (envName) => {
  it('has NodePools to compare', () => {
    expect(nodePools(envName).length).toBeGreaterThan(0);
  });

  it('every NodePool architecture is a platform of the release index', () => {
    expect(uncoveredArchitectures(nodePools(envName), releasePlatforms(release?.doc))).toEqual([]);
  });

  it('catches a release without arm64', () => {
    const amd64Only = releasePlatforms(release?.doc).filter((p) => p !== 'linux/arm64');
    expect(uncoveredArchitectures(nodePools(envName), amd64Only).join('\n')).toMatch(/starts arm64 nodes/);
  });
});

describe('release.yml builds the index it declares', () => {
  const image = release?.doc.jobs.image;
  const runs = (image?.steps ?? []).map((s: Json) => String(s.run ?? '')).join('\n');

  it('QEMU for every non-native platform, and buildx', () => {
    const qemu = image.steps.find((s: Json) => String(s.uses).startsWith('docker/setup-qemu-action@'));
    const platforms = releasePlatforms(release?.doc).filter((p) => p !== 'linux/amd64');
    for (const p of platforms) expect(String(qemu?.with?.platforms)).toContain(p.slice('linux/'.length));
    expect(image.steps.some((s: Json) => String(s.uses).startsWith('docker/setup-buildx-action@'))).toBe(true);
  });

  it('scans each platform and pushes all of them as one index', () => {
    expect(runs).toMatch(/for platform in \$\{PLATFORMS\/\/,\/ \}[\s\S]*--platform "\$platform"[\s\S]*trivy image/);
    expect(runs).toMatch(/--platform "\$PLATFORMS"[^\n]*\\\n[^\n]*--push/);
  });
});
