/**
 * "Remove one guardrail, a scenario must flip": every mutation the sweep applies, and the scenarios each one flips.
 *
 * Guardrails are: each whole SCP, each SCP statement, each statement of a bucket/key/trust/topic policy (except the
 * key-administration statement, which grants management and no access), each statement of a permission set's
 * inline policy. Only scenarios whose inputs a mutation touches are re-run; the others cannot change.
 */
import { KEY_ADMINISTRATION_SID } from '../../lib/foundations/key-administration.ts';
import { SCENARIOS } from './policy-scenarios.ts';
import { type Decision, type Mutation, type PolicySet, type Scenario, simulate } from './policy-simulator.ts';

export type GuardrailKind = 'scp' | 'scp statement' | 'resource-policy statement' | 'permission-set statement';

export interface GuardrailMutation {
  kind: GuardrailKind;
  /** What was removed, e.g. `innovate-restrict-regions/DenyOutsideAllowedRegions`. */
  label: string;
  mutation: Mutation;
}

export function guardrailMutations(policies: PolicySet): GuardrailMutation[] {
  const mutations: GuardrailMutation[] = [];
  for (const scp of policies.organization.scps) {
    mutations.push({
      kind: 'scp',
      label: scp.name,
      mutation: { scp: (candidate) => (candidate.name === scp.name ? undefined : candidate.document) },
    });
    for (const { Sid } of scp.document.Statement) {
      mutations.push({
        kind: 'scp statement',
        label: `${scp.name}/${Sid}`,
        mutation: {
          scp: (candidate) =>
            candidate.name === scp.name
              ? { ...candidate.document, Statement: candidate.document.Statement.filter((s) => s.Sid !== Sid) }
              : candidate.document,
        },
      });
    }
  }
  for (const [name, document] of Object.entries(policies.resourcePolicies)) {
    for (const statement of document.Statement) {
      if (statement.Sid === KEY_ADMINISTRATION_SID) continue;
      const without = { ...document, Statement: document.Statement.filter((s) => s !== statement) };
      mutations.push({
        kind: 'resource-policy statement',
        label: `${name}/${String(statement.Sid ?? JSON.stringify(statement))}`,
        mutation: { resourcePolicies: { ...policies.resourcePolicies, [name]: without } },
      });
    }
  }
  for (const [name, document] of Object.entries(policies.permissionSetPolicies)) {
    for (const statement of document.Statement) {
      const without = { ...document, Statement: document.Statement.filter((s) => s !== statement) };
      mutations.push({
        kind: 'permission-set statement',
        label: `${name}/${String(statement.Sid)}`,
        mutation: { permissionSetPolicies: { ...policies.permissionSetPolicies, [name]: without } },
      });
    }
  }
  return mutations;
}

export async function baselineDecisions(policies: PolicySet): Promise<Decision[]> {
  return Promise.all(SCENARIOS.map(async (scenario) => (await simulate(scenario, policies)).decision));
}

export interface SweepResult {
  /** Names of the scenarios whose decision changed. */
  flipped: string[];
  /** How many scenarios were re-evaluated. */
  simulations: number;
}

export async function flippedBy(policies: PolicySet, baseline: Decision[], mutation: Mutation): Promise<SweepResult> {
  const changedScps = mutation.scp
    ? policies.organization.scps.filter((scp) => mutation.scp?.(scp) !== scp.document)
    : [];
  const affected = (scenario: Scenario): boolean => {
    if (scenario.scpAccount && !scenario.principal.endsWith('.amazonaws.com')) {
      const path = policies.organization.pathOf(scenario.scpAccount);
      if (changedScps.some((scp) => scp.targets.some((target) => path.includes(target)))) return true;
    }
    const resource = scenario.resourcePolicy;
    if (
      resource &&
      mutation.resourcePolicies &&
      mutation.resourcePolicies[resource] !== policies.resourcePolicies[resource]
    ) {
      return true;
    }
    const set = scenario.permissionSet;
    return Boolean(
      set &&
        mutation.permissionSetPolicies &&
        mutation.permissionSetPolicies[set] !== policies.permissionSetPolicies[set],
    );
  };
  const rerun = SCENARIOS.map((scenario, index) => [scenario, index] as const).filter(([scenario]) =>
    affected(scenario),
  );
  const decisions = await Promise.all(
    rerun.map(async ([scenario]) => (await simulate(scenario, policies, mutation)).decision),
  );
  return {
    flipped: rerun
      .filter(([, index], position) => decisions[position] !== baseline[index])
      .map(([scenario]) => scenario.name),
    simulations: rerun.length,
  };
}
