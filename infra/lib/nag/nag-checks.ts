/**
 * cdk-nag v3 wiring: AwsSolutions checks on the whole app, and the acknowledgements of `acknowledgements.ts`.
 *
 * An acknowledgement whose stack/path matches nothing is an error: a refactor that moves a construct must move its
 * acknowledgement too, or the reason silently stops documenting anything.
 */
import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ACKNOWLEDGEMENTS, type Acknowledgement } from './acknowledgements.ts';

export interface NagOptions {
  acknowledgements?: readonly Acknowledgement[];
  /** Fail on an acknowledgement that matches nothing (on for the full app; off when a test builds one stack). */
  strict?: boolean;
}

export function addNagChecks(app: App, options: NagOptions = {}): void {
  const { acknowledgements = ACKNOWLEDGEMENTS, strict = true } = options;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stacks = app.node.children.filter((child): child is Stack => Stack.isStack(child));
  for (const ack of acknowledgements) {
    const targets = stacks
      .filter((stack) => stack.node.id.endsWith(`-${ack.stack}`) || stack.node.id === ack.stack)
      .map((stack) => findByPath(stack, ack.path))
      .filter((target): target is IConstruct => target !== undefined);
    if (targets.length === 0 && strict) {
      throw new Error(`cdk-nag acknowledgement ${ack.id} matches no construct: stack *-${ack.stack}, path ${ack.path}`);
    }
    for (const target of targets) {
      Validations.of(target).acknowledge({ id: ack.id, reason: ack.reason });
    }
  }
}

function findByPath(stack: Stack, path: string): IConstruct | undefined {
  let current: IConstruct | undefined = stack;
  for (const id of path.split('/')) {
    current = current?.node.tryFindChild(id);
  }
  return current;
}
