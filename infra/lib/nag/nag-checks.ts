/**
 * cdk-nag v3 wiring: AwsSolutions checks on the whole app, and the acknowledgements of `acknowledgements.ts`.
 *
 * An acknowledgement whose path matches nothing in stacks that exist is an error in strict mode (the full app): a
 * refactor that moves a construct must move its acknowledgement too, or the reason silently stops documenting
 * anything.
 */
import { type App, Stack, Token, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ACKNOWLEDGEMENTS, type Acknowledgement } from './acknowledgements.ts';

export interface NagOptions {
  acknowledgements?: readonly Acknowledgement[];
  /** Fail on an acknowledgement that matches nothing (on for the full app; off when a test builds a subset). */
  strict?: boolean;
}

export function addNagChecks(app: App, options: NagOptions = {}): void {
  const { acknowledgements = ACKNOWLEDGEMENTS, strict = true } = options;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stacks = app.node.findAll().filter((child): child is Stack => Stack.isStack(child));
  for (const ack of acknowledgements) {
    const ids = [...(ack.ids ?? []), ...(ack.id ? [ack.id] : [])];
    let matched = 0;
    let stacksOfKind = 0;
    for (const stack of stacks) {
      const id = stack.node.id;
      if (!(id.endsWith(`-${ack.stack}`) || id === ack.stack)) continue;
      stacksOfKind += 1;
      const target = findByPath(stack, ack.path);
      if (!target) continue;
      matched += 1;
      const prefix = id === ack.stack ? '' : id.slice(0, -(ack.stack.length + 1));
      const fill = (text: string) =>
        text
          .replaceAll('{account}', literal(stack.account))
          .replaceAll('{region}', literal(stack.region))
          .replaceAll('{prefix}', prefix)
          .replaceAll('{env}', prefix.split('-').slice(1).join('-'));
      for (const findingId of ids) {
        Validations.of(target).acknowledge({ id: fill(findingId), reason: fill(ack.reason) });
      }
    }
    // A stack kind absent from this build (e.g. a test that builds one environment) is not an error; a stack that
    // exists without the acknowledged construct is.
    if (matched === 0 && stacksOfKind > 0 && strict) {
      throw new Error(`cdk-nag acknowledgement ${ids[0]} matches no construct: stack *-${ack.stack}, path ${ack.path}`);
    }
  }
}

function literal(value: string): string {
  return Token.isUnresolved(value) ? '{unresolved}' : value;
}

function findByPath(stack: Stack, path: string): IConstruct | undefined {
  let current: IConstruct | undefined = stack;
  for (const id of path.split('/')) {
    current = current?.node.tryFindChild(id);
  }
  return current;
}
