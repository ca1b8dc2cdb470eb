/**
 * Promotion order: images move dev → staging → prod, in the order config lists the environments. Its own module
 * because both the app builder and the delivery stack need it, and the builder imports the stack.
 */
import type { ResolvedEnvironment } from '@innovate/config';

/** The environments before and after one in promotion order (images move dev → staging → prod). */
export interface Promotion {
  from?: ResolvedEnvironment;
  to?: ResolvedEnvironment;
}

/** `environment`'s neighbours in `environments`, which config lists in promotion order. */
export function promotionOf(environments: readonly ResolvedEnvironment[], name: string): Promotion {
  const index = environments.findIndex((candidate) => candidate.name === name);
  const [from, to] = [environments[index - 1], environments[index + 1]];
  return { ...(index > 0 && from ? { from } : {}), ...(to ? { to } : {}) };
}
