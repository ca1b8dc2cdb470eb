/**
 * Reads a CDK cloud assembly (`cdk.out/`): every CloudFormation stack with its account, region and template.
 *
 * The manifest is the source of truth for where a stack deploys, so the model never guesses an environment from a
 * stack's name. Nested assemblies (CDK Stages) are followed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
}

export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
}

export interface SynthStack {
  /** CloudFormation stack name. */
  name: string;
  account: string;
  region: string;
  template: CfnTemplate;
}

export class SynthError extends Error {
  override name = 'SynthError';
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  displayName?: string;
  properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

export function readSynth(dir: string): SynthStack[] {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new SynthError(`${manifestPath} not found: run \`make synth\` first or pass --synth <cdk.out>`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const stacks: SynthStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readSynth(join(dir, artifact.properties.directoryName)));
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const match = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(artifact.environment ?? '');
    if (!match) {
      throw new SynthError(
        `${manifestPath}: stack ${id}: environment "${artifact.environment}" is not aws://<account>/<region>; ` +
          'the model prices only stacks bound to an account and region',
      );
    }
    const templateFile = artifact.properties?.templateFile;
    if (!templateFile) throw new SynthError(`${manifestPath}: stack ${id}: no templateFile`);
    stacks.push({
      name: artifact.properties?.stackName ?? id,
      account: match[1] as string,
      region: match[2] as string,
      template: JSON.parse(readFileSync(join(dir, templateFile), 'utf8')) as CfnTemplate,
    });
  }
  return stacks.sort((a, b) => a.name.localeCompare(b.name));
}
