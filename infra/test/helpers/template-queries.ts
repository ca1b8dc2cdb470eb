/** Small readers over synthesized templates, so tests say what they check instead of how to dig for it. */
import type { Template } from 'aws-cdk-lib/assertions';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation resources are untyped JSON.
export type Resource = { Type: string; Properties: any; DeletionPolicy?: string; DependsOn?: string[] };

export function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

export function only(template: Template, type: string): Resource {
  const found = resources(template, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return (found[0] as [string, Resource])[1];
}

/** Statements of every AWS::IAM::Policy in the template whose logical id starts with `prefix`. */
export function policyStatements(
  template: Template,
  prefix: string,
): { Action: string | string[]; Resource: unknown }[] {
  return resources(template, 'AWS::IAM::Policy')
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
