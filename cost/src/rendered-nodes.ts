/**
 * Karpenter's nodes are in no CloudFormation template, but their root volume is in the EC2NodeClass that deploy/
 * renders for each environment (`names.renderedManifestsPath`, committed). Reading it keeps the volume size the
 * model prices equal to the one Karpenter will request.
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

interface NodeClassDoc {
  kind?: string;
  spec?: { blockDeviceMappings?: Array<{ rootVolume?: boolean; ebs?: { volumeSize?: string; volumeType?: string } }> };
}

/** The root volume of the first EC2NodeClass rendered under `renderedPath`, if any. */
export function karpenterRootVolume(renderedPath: string, root = REPO_ROOT): NodeVolume | undefined {
  const dir = join(root, renderedPath);
  if (!existsSync(dir)) return undefined;
  for (const file of yamlFiles(dir)) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const nodeClass = doc.toJSON() as NodeClassDoc | null;
      if (nodeClass?.kind !== 'EC2NodeClass') continue;
      const mappings = nodeClass.spec?.blockDeviceMappings ?? [];
      const ebs = (mappings.find((m) => m.rootVolume) ?? mappings[0])?.ebs;
      const size = /^(\d+)Gi$/.exec(ebs?.volumeSize ?? '');
      if (!size) continue;
      return { gib: Number(size[1]), volumeType: ebs?.volumeType ?? 'gp3', from: file.slice(root.length + 1) };
    }
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
