/**
 * The synthesized app as the diagrams read it: every stack of infra/cdk.out with its account, region, deploy
 * dependencies and resources. A diagram asks for the resources it draws through `only`/`all`, so a box can never
 * show something the templates do not hold: a missing resource stops the generator, naming the stack and the type.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Resource {
  logicalId: string;
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON; each reader narrows what it uses.
  Properties: Record<string, any>;
}

export interface SynthesizedStack {
  id: string;
  /** The second part of the id: an environment (dev, staging, prod) or a central account (foundations, security, logarchive). */
  env: string;
  /** The rest of the id after the environment, e.g. `cluster` or `us-east-1-delegated-admin`. */
  part: string;
  account: string;
  region: string;
  /** Stacks that deploy before this one (CloudFormation dependencies in manifest.json). */
  dependencies: string[];
  resources: Resource[];
  /** Resource count per CloudFormation type. */
  counts: Map<string, number>;
  total: number;
  // biome-ignore lint/suspicious/noExplicitAny: outputs are read by the organization diagram only (OU references).
  outputs: Record<string, { Value: any }>;
}

interface Artifact {
  type: string;
  environment?: string;
  dependencies?: string[];
}

export class SynthesizedApp {
  constructor(readonly stacks: SynthesizedStack[]) {}

  static load(cdkOut: string): SynthesizedApp {
    const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, Artifact>;
    };
    const stacks = Object.entries(manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([id, artifact]): SynthesizedStack => {
        const template = JSON.parse(readFileSync(join(cdkOut, `${id}.template.json`), 'utf8')) as {
          Resources: Record<string, Omit<Resource, 'logicalId'>>;
          Outputs?: SynthesizedStack['outputs'];
        };
        const resources = Object.entries(template.Resources).map(([logicalId, resource]) => ({
          logicalId,
          Type: resource.Type,
          Properties: resource.Properties ?? {},
        }));
        const counts = new Map<string, number>();
        for (const resource of resources) counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
        const [, env = '', ...part] = id.split('-');
        const [account = '', region = ''] = (artifact.environment ?? '').replace('aws://', '').split('/');
        return {
          id,
          env,
          part: part.join('-'),
          account,
          region,
          counts,
          resources,
          total: resources.length,
          outputs: template.Outputs ?? {},
          dependencies: (artifact.dependencies ?? []).filter(
            (dep) => manifest.artifacts[dep]?.type === 'aws:cloudformation:stack',
          ),
        };
      });
    return new SynthesizedApp(stacks);
  }

  stack(id: string): SynthesizedStack {
    const found = this.stacks.find((stack) => stack.id === id);
    if (!found) throw new Error(`diagrams: infra/cdk.out has no stack ${id}; run \`make synth\``);
    return found;
  }

  /** Every resource of a type in a stack (possibly none). */
  all(stackId: string, type: string): Resource[] {
    return this.stack(stackId).resources.filter((resource) => resource.Type === type);
  }

  /** The one resource of a type in a stack (or the one `where` picks); anything else stops the generator. */
  only(stackId: string, type: string, where: (resource: Resource) => boolean = () => true): Resource {
    const found = this.all(stackId, type).filter(where);
    if (found.length !== 1) {
      throw new Error(`diagrams: ${stackId} has ${found.length} ${type} where the diagram draws exactly one`);
    }
    return found[0] as Resource;
  }
}
