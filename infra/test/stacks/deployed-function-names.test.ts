/**
 * devops may not change, configure or invoke a function the stacks deploy (the permission set's
 * `NoChangesToDeployedFunctions`): the kubectl handler acts as cluster-admin, the rotation functions and the roles'
 * bootstrap hold the database master's password. The deny names functions by a prefix, so every function of every
 * environment must carry it — including those CDK names after the construct path (the rotation applications) and
 * those CloudFormation names after the stack (no FunctionName).
 */
import { describe, expect, it } from 'vitest';
import { accountDirectory } from '../../lib/foundations/account-directory.ts';
import { permissionSetDefinitions } from '../../lib/foundations/permission-set-definitions.ts';
import type { WorkloadStacks } from '../../lib/workload-app.ts';
import { config, ENVIRONMENTS, stacksOf, templateOf } from '../helpers/environment-stacks.ts';

interface Statement {
  Sid?: string;
  Resource?: string | string[];
}

/** The deny's function-name patterns (`*` as a wildcard), read from the devops permission set itself. */
function deniedFunctionPatterns(): RegExp[] {
  const devops = permissionSetDefinitions(config, accountDirectory(config)).devops;
  const statement = ((devops.inline?.Statement ?? []) as Statement[]).find(
    (s) => s.Sid === 'NoChangesToDeployedFunctions',
  );
  if (!statement) throw new Error('the devops permission set has no NoChangesToDeployedFunctions statement');
  return [statement.Resource ?? []].flat().map((arn) => {
    const name = arn.split(':function:')[1] ?? '';
    const escaped = name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
    return new RegExp(`^${escaped}$`);
  });
}

/** Each function's name as deployed: its FunctionName, the rotation application's functionName, or the stack's. */
function functionNames(env: string): string[] {
  const stacks = stacksOf(env);
  const names: string[] = [];
  for (const part of Object.keys(stacks) as (keyof WorkloadStacks)[]) {
    const stack = stacks[part];
    if (!stack) continue;
    // biome-ignore lint/suspicious/noExplicitAny: template properties are untyped JSON.
    const resources = templateOf(env, part).toJSON().Resources as Record<string, { Type: string; Properties?: any }>;
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type === 'AWS::Lambda::Function') {
        const named = resource.Properties?.FunctionName;
        // Unnamed: CloudFormation names it `<stack name>-<logical id>-<suffix>`.
        names.push(typeof named === 'string' ? named : `${stack.stackName}-${logicalId}-SUFFIX`);
      }
      if (resource.Type === 'AWS::Serverless::Application') names.push(resource.Properties.Parameters.functionName);
    }
  }
  return names;
}

describe('every deployed function is one devops cannot change', () => {
  const patterns = deniedFunctionPatterns();

  it.each(ENVIRONMENTS)('%s', (env) => {
    const names = functionNames(env);
    expect(names.length).toBeGreaterThan(0);
    const uncovered = names.filter((name) => !patterns.some((pattern) => pattern.test(name)));
    expect(uncovered).toEqual([]);
  });

  it('covers the rotation functions, whose names have no hyphen after the app name', () => {
    const rotations = functionNames('prod').filter((name) => /Rotation/.test(name));
    expect(rotations.length).toBe(3);
    expect(rotations.every((name) => patterns.some((pattern) => pattern.test(name)))).toBe(true);
  });
});
