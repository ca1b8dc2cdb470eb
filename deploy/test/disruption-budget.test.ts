import { describe, expect, it } from 'vitest';
import { config, find, type Json, objectsOf } from './helpers.ts';

// A PodDisruptionBudget that selects pods of a Job or CronJob makes the disruption controller fail its sync ("jobs.batch
// does not implement the scale subresource") and hold disruptionsAllowed at 0: node drains and Karpenter
// consolidation stop while such pods exist. Seen on a live control plane by make rehearse (ADR 0110).
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe.each(config.environments.map((env) => env.name))('%s: disruption budgets', (env) => {
  const objects = objectsOf(env);
  const budgets = find(objects, 'PodDisruptionBudget') as Json[];

  it('select the pods of a scalable workload and never those of a Job or CronJob', () => {
    expect(budgets.length).toBeGreaterThan(0);
    for (const budget of budgets) {
      const selector = budget.spec.selector.matchLabels as Record<string, string>;
      expect(budget.spec.selector.matchExpressions, 'matchLabels only: this test reads no expressions').toBeUndefined();
      const templates = [
        ...find(objects, 'Rollout').map((o: Json) => ({ kind: 'Rollout', labels: o.spec.template.metadata.labels })),
        ...find(objects, 'Job').map((o: Json) => ({ kind: 'Job', labels: o.spec.template.metadata?.labels })),
        ...find(objects, 'CronJob').map((o: Json) => ({
          kind: 'CronJob',
          labels: o.spec.jobTemplate.spec.template.metadata?.labels,
        })),
      ];
      const selected = templates.filter((t) => matches(selector, t.labels)).map((t) => t.kind);
      expect(selected, `PodDisruptionBudget ${budget.metadata.name}`).toEqual(['Rollout']);
    }
  });
});
