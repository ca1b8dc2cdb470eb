/**
 * Karpenter's nodes are in no CloudFormation template, but their root volume is in the EC2NodeClass that deploy/
 * renders for each environment. The reader starts where Argo CD starts (`names.renderedManifestsPath`, the
 * app-of-apps root) and follows the Applications' `source.path` inside this repository, exactly as Argo CD would,
 * so it does not depend on deploy/'s folder layout. The volume the model prices is the one Karpenter will request.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface NodeVolume {
  gib: number;
  volumeType: string;
  /** The manifest it was read from, relative to the repository. */
  from: string;
}

export interface ManifestDoc {
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    blockDeviceMappings?: Array<{ rootVolume?: boolean; ebs?: { volumeSize?: string; volumeType?: string } }>;
    source?: { path?: string };
    sources?: Array<{ path?: string }>;
    [key: string]: unknown;
  };
}

/** Every manifest Argo CD would apply from `renderedPath`, following Applications into `deploy/` paths. */
export function renderedManifests(renderedPath: string, root = REPO_ROOT): Array<{ doc: ManifestDoc; file: string }> {
  // One read per run: every estimate (scenarios, capacity points) asks again, and the render does not change meanwhile.
  const key = `${root}\0${renderedPath}`;
  const cached = CACHE.get(key);
  if (cached) return cached;
  const queue = [renderedPath];
  const seen = new Set<string>();
  const found: Array<{ doc: ManifestDoc; file: string }> = [];
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (seen.has(path) || !existsSync(join(root, path))) continue;
    seen.add(path);
    for (const file of yamlFiles(join(root, path))) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const manifest = doc.toJSON() as ManifestDoc | null;
        if (!manifest) continue;
        if (manifest.kind === 'Application') {
          const sources = [manifest.spec?.source, ...(manifest.spec?.sources ?? [])];
          for (const source of sources) if (source?.path?.startsWith('deploy/')) queue.push(source.path);
        }
        found.push({ doc: manifest, file: file.slice(root.length + 1) });
      }
    }
  }
  CACHE.set(key, found);
  return found;
}

const CACHE = new Map<string, Array<{ doc: ManifestDoc; file: string }>>();

/** The root volume of the first EC2NodeClass Argo CD would apply from `renderedPath`, if any. */
export function karpenterRootVolume(renderedPath: string, root = REPO_ROOT): NodeVolume | undefined {
  for (const { doc, file } of renderedManifests(renderedPath, root)) {
    if (doc.kind !== 'EC2NodeClass') continue;
    const mappings = doc.spec?.blockDeviceMappings ?? [];
    const ebs = (mappings.find((m) => m.rootVolume) ?? mappings[0])?.ebs;
    const size = /^(\d+)Gi$/.exec(ebs?.volumeSize ?? '');
    if (!size) continue;
    return { gib: Number(size[1]), volumeType: ebs?.volumeType ?? 'gp3', from: file };
  }
  return undefined;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return name.endsWith('.yaml') ? [path] : [];
    });
}
