/**
 * Guardrails evaluated, not grepped (issue 4): every scenario of the table runs through an offline IAM evaluator
 * over the synthesized SCPs, key policies and bucket policies. Then each guardrail is removed in turn (each SCP
 * statement, each resource-policy statement, each whole SCP) and at least one scenario must flip: a guardrail no
 * scenario depends on is either dead or untested.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineDecisions, flippedBy, type GuardrailKind, guardrailMutations } from './mutation-sweep.ts';
import { SCENARIOS } from './policy-scenarios.ts';
import { synthesizedPolicySet } from './policy-set.ts';
import { type Decision, type PolicySet, simulate } from './policy-simulator.ts';

let policies: PolicySet;
let baseline: Decision[];

beforeAll(async () => {
  policies = synthesizedPolicySet();
  baseline = await baselineDecisions(policies);
});

describe('the scenario table over the synthesized policies', () => {
  it('has at least 30 scenarios with unique names', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(SCENARIOS.map((scenario) => scenario.name)).size).toBe(SCENARIOS.length);
  });

  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const outcome = await simulate(scenario, policies);
    // A context key the evaluator drops would make the scenario test nothing.
    expect(outcome.ignoredContextKeys).toEqual([]);
    expect(outcome.decision).toBe(scenario.expected);
  });
});

describe('removing any single guardrail flips at least one scenario', () => {
  const kinds: GuardrailKind[] = ['scp', 'scp statement', 'resource-policy statement', 'permission-set statement'];
  it.each(kinds.map((kind) => [kind]))('removing one %s', async (kind) => {
    const mutations = guardrailMutations(policies).filter((candidate) => candidate.kind === kind);
    expect(mutations.length).toBeGreaterThan(0);
    const untested: string[] = [];
    for (const { label, mutation } of mutations) {
      if ((await flippedBy(policies, baseline, mutation)).flipped.length === 0) untested.push(label);
    }
    expect(untested, `guardrails (${kind}) whose removal changes no scenario`).toEqual([]);
  });
});
