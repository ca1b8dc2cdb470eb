/**
 * Guardrails evaluated, not grepped (issue 4): every scenario of the table runs through an offline IAM evaluator
 * over the synthesized SCPs, key policies and bucket policies. Then each guardrail is removed in turn (each SCP
 * statement, each resource-policy statement, each whole SCP) and at least one scenario must flip: a guardrail no
 * scenario depends on is either dead or untested.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { KEY_ADMINISTRATION_SID } from '../../lib/foundations/key-administration.ts';
import { SCENARIOS } from './policy-scenarios.ts';
import { synthesizedPolicySet } from './policy-set.ts';
import { type Mutation, type PolicySet, type Scenario, simulate } from './policy-simulator.ts';

let policies: PolicySet;
let baseline: string[];

beforeAll(async () => {
  policies = synthesizedPolicySet();
  baseline = await Promise.all(SCENARIOS.map(async (scenario) => (await simulate(scenario, policies)).decision));
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

/**
 * Scenario names whose decision differs from the unmutated baseline. Only scenarios whose inputs the mutation
 * touches are re-run (the others' inputs are identical, so are their decisions): the SCPs on the path of the
 * scenario's account, its resource policy, its permission set.
 */
async function flipped(mutation: Mutation): Promise<string[]> {
  const changedScps = mutation.scp
    ? policies.organization.scps.filter((scp) => mutation.scp?.(scp) !== scp.document)
    : [];
  const affected = (scenario: Scenario): boolean => {
    if (scenario.scpAccount && !scenario.principal.endsWith('.amazonaws.com')) {
      const path = policies.organization.pathOf(scenario.scpAccount);
      if (changedScps.some((scp) => scp.targets.some((target) => path.includes(target)))) return true;
    }
    const resource = scenario.resourcePolicy;
    if (resource && mutation.resourcePolicies?.[resource] !== undefined) {
      if (mutation.resourcePolicies[resource] !== policies.resourcePolicies[resource]) return true;
    }
    const set = scenario.permissionSet;
    if (set && mutation.permissionSetPolicies?.[set] !== undefined) {
      if (mutation.permissionSetPolicies[set] !== policies.permissionSetPolicies[set]) return true;
    }
    return false;
  };
  const changed = await Promise.all(
    SCENARIOS.map(async (scenario, index) =>
      affected(scenario) && (await simulate(scenario, policies, mutation)).decision !== baseline[index]
        ? scenario.name
        : undefined,
    ),
  );
  return changed.filter((name): name is string => name !== undefined);
}

describe('removing any single guardrail flips at least one scenario', () => {
  it('removing a whole SCP', async () => {
    const untested: string[] = [];
    for (const scp of policies.organization.scps) {
      const changed = await flipped({
        scp: (candidate) => (candidate.name === scp.name ? undefined : candidate.document),
      });
      if (changed.length === 0) untested.push(scp.name);
    }
    expect(policies.organization.scps.length).toBeGreaterThan(0);
    expect(untested, 'SCPs whose removal changes no scenario').toEqual([]);
  });

  it('removing one SCP statement', async () => {
    const statements = policies.organization.scps.flatMap((scp) =>
      scp.document.Statement.map((s) => [scp, s.Sid] as const),
    );
    expect(statements.length).toBeGreaterThan(0);
    const untested: string[] = [];
    for (const [scp, sid] of statements) {
      const changed = await flipped({
        scp: (candidate) =>
          candidate.name === scp.name
            ? { ...candidate.document, Statement: candidate.document.Statement.filter((s) => s.Sid !== sid) }
            : candidate.document,
      });
      if (changed.length === 0) untested.push(`${scp.name}/${sid}`);
    }
    expect(untested, 'SCP statements whose removal changes no scenario').toEqual([]);
  });

  it('removing one statement of a bucket or key policy', async () => {
    const untested: string[] = [];
    for (const [name, document] of Object.entries(policies.resourcePolicies)) {
      for (const statement of document.Statement) {
        const sid = statement.Sid as string | undefined;
        // The key-administration statement grants management, which no access scenario should need.
        if (sid === KEY_ADMINISTRATION_SID) continue;
        const changed = await flipped({
          resourcePolicies: {
            ...policies.resourcePolicies,
            [name]: { ...document, Statement: document.Statement.filter((s) => s !== statement) },
          },
        });
        if (changed.length === 0) untested.push(`${name}/${sid ?? JSON.stringify(statement)}`);
      }
    }
    expect(untested, 'resource-policy statements whose removal changes no scenario').toEqual([]);
  });

  it('removing one statement of a permission set inline policy', async () => {
    const untested: string[] = [];
    for (const [name, document] of Object.entries(policies.permissionSetPolicies)) {
      for (const statement of document.Statement) {
        const changed = await flipped({
          permissionSetPolicies: {
            ...policies.permissionSetPolicies,
            [name]: { ...document, Statement: document.Statement.filter((s) => s !== statement) },
          },
        });
        if (changed.length === 0) untested.push(`${name}/${String(statement.Sid)}`);
      }
    }
    expect(untested, 'permission-set statements whose removal changes no scenario').toEqual([]);
  });
});
