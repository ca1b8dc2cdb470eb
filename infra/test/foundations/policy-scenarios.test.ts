/**
 * Guardrails evaluated, not grepped: every scenario of the table runs through an offline IAM evaluator
 * over the synthesized SCPs, key policies and bucket policies. Then each guardrail is removed in turn (each SCP
 * statement, each resource-policy statement, each whole SCP) and at least one scenario must flip: a guardrail no
 * scenario depends on is either dead or untested.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { permissionSetName } from '../../lib/foundations/guardrail-settings.ts';
import {
  ACTION_LEVEL_KINDS,
  baselineDecisions,
  flippedBy,
  type GuardrailKind,
  guardrailMutations,
} from './mutation-sweep.ts';
import { SCENARIOS } from './policy-scenarios.ts';
import { synthesizedPolicySet } from './policy-set.ts';
import { type Decision, type PolicyJson, type PolicySet, simulate } from './policy-simulator.ts';
import { config } from './synthesized.ts';
import { UNTESTABLE_MUTATIONS } from './untestable-mutations.ts';

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
    for (const { label, mutation, actions } of mutations) {
      if ((await flippedBy(policies, baseline, mutation, actions)).flipped.length === 0) untested.push(label);
    }
    expect(untested, `guardrails (${kind}) whose removal changes no scenario`).toEqual([]);
  });
});

describe('removing any single action or condition key of a Deny statement flips at least one scenario', () => {
  it('every action-level mutation flips a scenario, or is listed as untestable offline with a reason', async () => {
    const mutations = guardrailMutations(policies).filter((candidate) => ACTION_LEVEL_KINDS.includes(candidate.kind));
    const untested: string[] = [];
    for (const { label, mutation, actions } of mutations) {
      if ((await flippedBy(policies, baseline, mutation, actions)).flipped.length === 0) untested.push(label);
    }
    const listed = Object.keys(UNTESTABLE_MUTATIONS);
    const counts = ACTION_LEVEL_KINDS.map((kind) => `${mutations.filter((m) => m.kind === kind).length} ${kind}`);
    console.info(
      `action-level mutation sweep: ${mutations.length} mutations (${counts.join(', ')}); ` +
        `${mutations.length - untested.length} flip a scenario, ${untested.length} listed untestable: ${untested.join('; ')}`,
    );
    expect(mutations.length).toBeGreaterThan(200);
    expect(
      untested.filter((label) => !listed.includes(label)),
      'action-level mutations that flip nothing',
    ).toEqual([]);
    // A stale entry hides nothing today but would excuse a real gap tomorrow.
    expect(
      listed.filter((label) => !untested.includes(label)),
      'untestable entries that are tested or gone',
    ).toEqual([]);
  });
});

/**
 * Conditions the statement sweep cannot see (it removes whole statements): the cluster roles' aws:PrincipalArn and
 * break-glass's IfExists. Each is weakened the way the code used to be, and the scenario guarding it must flip.
 */
describe('weakening a condition flips the scenario that guards it', () => {
  const scenario = (name: string) => {
    const found = SCENARIOS.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no scenario ${name}`);
    return found;
  };
  const withoutPrincipalArn = (document: PolicyJson): PolicyJson => ({
    ...document,
    Statement: document.Statement.map(({ Condition, ...statement }) => statement),
  });

  it.each([
    ['clusterAdminTrust', 'no other role of the account assumes the cluster-admin role (the root is not trusted)'],
    ['clusterViewerTrust', 'no other role of the account assumes the cluster-viewer role'],
  ])('%s trusting the account root without aws:PrincipalArn admits any role', async (trust, name) => {
    const document = policies.resourcePolicies[trust] as PolicyJson;
    expect(JSON.stringify(document)).toContain('aws:PrincipalArn');
    const mutated = { resourcePolicies: { ...policies.resourcePolicies, [trust]: withoutPrincipalArn(document) } };
    expect((await simulate(scenario(name), policies)).decision).toBe('ImplicitlyDenied');
    expect((await simulate(scenario(name), policies, mutated)).decision).toBe('Allowed');
  });

  it('break-glass with Bool instead of BoolIfExists lets a session without an MFA key through', async () => {
    const set = permissionSetName(config, 'breakGlass');
    const document = policies.permissionSetPolicies[set] as PolicyJson;
    const asBool = JSON.parse(JSON.stringify(document).replace('"BoolIfExists"', '"Bool"')) as PolicyJson;
    expect(asBool).not.toEqual(document);
    const name = 'the break-glass permission set is denied in a session that carries no MFA key at all';
    const mutated = { permissionSetPolicies: { ...policies.permissionSetPolicies, [set]: asBool } };
    expect((await simulate(scenario(name), policies)).decision).toBe('ExplicitlyDenied');
    expect((await simulate(scenario(name), policies, mutated)).decision).toBe('Allowed');
  });
});
