/**
 * "Remove one guardrail, a scenario must flip": every mutation the sweep applies, and the scenarios each one flips.
 *
 * Guardrails are: each whole SCP, each SCP statement, each statement of a bucket/key/trust/topic policy (except the
 * key-administration statement, which grants management and no access), each statement of a permission set's
 * inline policy; and, inside every Deny statement of those, each action (or NotAction exemption) and each
 * condition key, removed one at a time. A statement with one action is covered by removing the statement. Only
 * scenarios whose inputs a mutation touches are re-run; the others cannot change.
 */

import { KEY_ADMINISTRATION_SID } from '../../lib/foundations/key-administration.ts';
import type { PolicyStatementJson } from '../../lib/foundations/policies/policy-document.ts';
import { SCENARIOS } from './policy-scenarios.ts';
import {
  type Decision,
  type Mutation,
  type PolicyJson,
  type PolicySet,
  type Scenario,
  simulate,
} from './policy-simulator.ts';

export type GuardrailKind =
  | 'scp'
  | 'scp statement'
  | 'resource-policy statement'
  | 'permission-set statement'
  | 'deny action'
  | 'deny condition key';

/** The kinds that remove a part of one Deny statement (reported as the action-level count). */
export const ACTION_LEVEL_KINDS: readonly GuardrailKind[] = ['deny action', 'deny condition key'];

type Statement = PolicyStatementJson | Record<string, unknown>;

/**
 * Each copy of a Deny statement with one action, one NotAction exemption or one condition key removed, labelled
 * `<Sid>/-<action>`, `<Sid>/-NotAction <action>` or `<Sid>/-<operator> <key>`.
 */
export function statementParts(statement: Statement): Array<{ kind: GuardrailKind; part: string; without: Statement }> {
  if (statement.Effect !== 'Deny') return [];
  const parts: Array<{ kind: GuardrailKind; part: string; without: Statement }> = [];
  for (const field of ['Action', 'NotAction'] as const) {
    const list = statement[field];
    if (!Array.isArray(list) || list.length < 2) continue;
    for (const action of list as string[]) {
      parts.push({
        kind: 'deny action',
        part: field === 'Action' ? `-${action}` : `-NotAction ${action}`,
        without: { ...statement, [field]: (list as string[]).filter((candidate) => candidate !== action) },
      });
    }
  }
  const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
  for (const [operator, keys] of Object.entries(condition)) {
    for (const key of Object.keys(keys)) {
      const { [key]: _removed, ...otherKeys } = keys;
      const { [operator]: _operator, ...otherOperators } = condition;
      const remaining =
        Object.keys(otherKeys).length > 0 ? { ...otherOperators, [operator]: otherKeys } : otherOperators;
      const { Condition: _condition, ...unconditional } = statement;
      parts.push({
        kind: 'deny condition key',
        part: `-${operator} ${key}`,
        without: Object.keys(remaining).length > 0 ? { ...statement, Condition: remaining } : unconditional,
      });
    }
  }
  return parts;
}

export interface GuardrailMutation {
  kind: GuardrailKind;
  /** What was removed, e.g. `innovate-restrict-regions/DenyOutsideAllowedRegions`. */
  label: string;
  mutation: Mutation;
  /**
   * For a change to one statement (removed, or a part of it removed): the statement's actions. Only requests for a
   * matching action can change decision, so only those scenarios are re-run (absent — a whole SCP, or a NotAction
   * statement — every scenario the mutation touches).
   */
  actions?: string[];
}

const matchesAny = (patterns: string[], action: string): boolean =>
  patterns.some((pattern) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action),
  );

/** The Action list of a statement as patterns, or undefined when it is NotAction (it can match anything). */
function actionsOf(statement: Statement): string[] | undefined {
  const action = statement.Action;
  if (action === undefined) return undefined;
  return Array.isArray(action) ? (action as string[]) : [action as string];
}

export function guardrailMutations(policies: PolicySet): GuardrailMutation[] {
  const mutations: GuardrailMutation[] = [];
  for (const scp of policies.organization.scps) {
    mutations.push({
      kind: 'scp',
      label: scp.name,
      mutation: { scp: (candidate) => (candidate.name === scp.name ? undefined : candidate.document) },
    });
    for (const statement of scp.document.Statement) {
      for (const { kind, part, without } of statementParts(statement)) {
        mutations.push({
          kind,
          label: `${scp.name}/${statement.Sid}/${part}`,
          actions: actionsOf(statement),
          mutation: {
            scp: (candidate) =>
              candidate.name === scp.name
                ? {
                    ...candidate.document,
                    Statement: candidate.document.Statement.map((s) =>
                      s.Sid === statement.Sid ? (without as typeof s) : s,
                    ),
                  }
                : candidate.document,
          },
        });
      }
    }
    for (const statement of scp.document.Statement) {
      const { Sid } = statement;
      mutations.push({
        kind: 'scp statement',
        label: `${scp.name}/${Sid}`,
        actions: actionsOf(statement),
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
      const label = `${name}/${String(statement.Sid ?? JSON.stringify(statement))}`;
      for (const { kind, part, without } of statementParts(statement)) {
        const changed = { ...document, Statement: document.Statement.map((s) => (s === statement ? without : s)) };
        mutations.push({
          kind,
          label: `${label}/${part}`,
          actions: actionsOf(statement),
          mutation: { resourcePolicies: { ...policies.resourcePolicies, [name]: changed as PolicyJson } },
        });
      }
      const without = { ...document, Statement: document.Statement.filter((s) => s !== statement) };
      mutations.push({
        kind: 'resource-policy statement',
        label: `${name}/${String(statement.Sid ?? JSON.stringify(statement))}`,
        actions: actionsOf(statement),
        mutation: { resourcePolicies: { ...policies.resourcePolicies, [name]: without } },
      });
    }
  }
  for (const [name, document] of Object.entries(policies.permissionSetPolicies)) {
    for (const statement of document.Statement) {
      for (const { kind, part, without } of statementParts(statement)) {
        const changed = { ...document, Statement: document.Statement.map((s) => (s === statement ? without : s)) };
        mutations.push({
          kind,
          label: `${name}/${String(statement.Sid)}/${part}`,
          actions: actionsOf(statement),
          mutation: { permissionSetPolicies: { ...policies.permissionSetPolicies, [name]: changed as PolicyJson } },
        });
      }
      const without = { ...document, Statement: document.Statement.filter((s) => s !== statement) };
      mutations.push({
        kind: 'permission-set statement',
        label: `${name}/${String(statement.Sid)}`,
        actions: actionsOf(statement),
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

export async function flippedBy(
  policies: PolicySet,
  baseline: Decision[],
  mutation: Mutation,
  actions?: string[],
): Promise<SweepResult> {
  const changedScps = mutation.scp
    ? policies.organization.scps.filter((scp) => mutation.scp?.(scp) !== scp.document)
    : [];
  const affected = (scenario: Scenario): boolean => {
    if (actions && !matchesAny(actions, scenario.action)) return false;
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
