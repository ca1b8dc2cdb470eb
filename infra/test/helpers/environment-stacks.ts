/**
 * Builds an environment's workload stacks the way `bin/app.ts` does (same context as the CLI, via `testApp`), once
 * per environment per test file, and hands out their templates.
 */
import { loadPlatformConfig, type ResolvedEnvironment } from '@innovate/config';
import { type Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { testApp } from '../../lib/app-context.ts';
import { promotionOf } from '../../lib/promotion.ts';
import { addWorkloadStacks, type WorkloadStacks } from '../../lib/workload-app.ts';

export const config = loadPlatformConfig();
export const ENVIRONMENTS = config.environments.map((env) => env.name);

const built = new Map<string, WorkloadStacks>();

export function stacksOf(name: string): WorkloadStacks {
  let stacks = built.get(name);
  if (!stacks) {
    stacks = addWorkloadStacks(
      testApp(),
      config.organization,
      config.environment(name),
      promotionOf(config.environments, name),
    );
    built.set(name, stacks);
  }
  return stacks;
}

const templates = new Map<Stack, Template>();
const assemblies = new Map<string, CloudAssembly>();

/**
 * The stack's synthesized template. The environment's App is synthesized once and every stack's template read from
 * that one cloud assembly (`Template.fromStack` would re-synthesize the whole App for each stack).
 */
export function templateOf(name: string, part: keyof WorkloadStacks): Template {
  const stack = stacksOf(name)[part] as Stack | undefined;
  if (!stack) throw new Error(`${name} has no ${part} stack`);
  let template = templates.get(stack);
  if (!template) {
    let assembly = assemblies.get(name);
    if (!assembly) {
      assembly = (Stage.of(stack) as Stage).synth();
      assemblies.set(name, assembly);
    }
    template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template, {
      skipCyclicalDependenciesCheck: true,
    });
    templates.set(stack, template);
  }
  return template;
}

export function environment(name: string): ResolvedEnvironment {
  return config.environment(name);
}
