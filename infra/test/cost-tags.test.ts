/**
 * Requirement COST-1: every taggable resource carries env, app, owner and cost-center. "Taggable" is CDK's own knowledge of
 * each CloudFormation type (TagManager.isTaggable); the check reads the tags from the synthesized templates.
 */
import { COST_TAG_KEYS } from '@innovate/config';
import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import type { WorkloadStacks } from '../lib/workload-app.ts';
import { ENVIRONMENTS, environment, stacksOf, templateOf } from './helpers/environment-stacks.ts';

function tagsOf(properties: Record<string, unknown> | undefined): Record<string, string> {
  // Most types use `Tags`; a few name it differently (Route 53 zones: `HostedZoneTags`).
  const key = Object.keys(properties ?? {}).find((name) => /tags$/i.test(name));
  const tags = key ? properties?.[key] : undefined;
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
  if (tags && typeof tags === 'object') return tags as Record<string, string>;
  return {};
}

describe('cost tags on every taggable resource', () => {
  it.each(ENVIRONMENTS)('%s: all four tags with the environment values', (name) => {
    const expected = environment(name).tags;
    let checked = 0;
    const missing: string[] = [];
    for (const [part, stack] of Object.entries(stacksOf(name)) as [keyof WorkloadStacks, Stack][]) {
      const resources = templateOf(name, part).toJSON().Resources as Record<
        string,
        { Type: string; Properties?: Record<string, unknown> }
      >;
      for (const construct of stack.node.findAll()) {
        if (!CfnResource.isCfnResource(construct) || !TagManager.isTaggable(construct)) continue;
        if (Stack.of(construct) !== stack) continue;
        const logicalId = stack.resolve(construct.logicalId) as string;
        const resource = resources[logicalId];
        if (!resource) continue;
        checked += 1;
        const tags = tagsOf(resource.Properties);
        for (const key of COST_TAG_KEYS) {
          if (tags[key] !== expected[key]) missing.push(`${part}/${logicalId} (${resource.Type}) ${key}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
