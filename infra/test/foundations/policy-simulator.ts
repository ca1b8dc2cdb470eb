/**
 * Runs one scenario of the policy table through @cloud-copilot/iam-simulate (test-only, AGPL; ADR 0042) over the
 * synthesized policies: the SCP levels of the principal's account, its identity policies, and the resource policy.
 *
 * The simulator fills in no context keys (measured), so this fills the ones AWS always sets (aws:PrincipalArn,
 * aws:PrincipalAccount, aws:RequestedRegion, aws:SecureTransport) unless the scenario overrides them. SCPs are not
 * applied to service principals, as in AWS.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { OrganizationModel, ScpMutation } from './organization-model.ts';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
export type PolicyJson = { Version: string; Statement: Array<Record<string, unknown>> };

export interface Scenario {
  name: string;
  /** An IAM ARN, or a service principal such as `cloudtrail.amazonaws.com`. */
  principal: string;
  /** Config key of the principal's account when SCPs apply to it (a member account); absent otherwise. */
  scpAccount?: string;
  /** Identity policies of the principal; none for service principals. */
  identityPolicies?: PolicyJson[];
  /** Name of a synthesized Identity Center permission set whose inline policy the principal also carries. */
  permissionSet?: string;
  action: string;
  resource: string;
  resourceAccount: string;
  /** Name of a synthesized resource policy (bucket policy, key policy, trust policy) that governs the resource. */
  resourcePolicy?: string;
  context?: Record<string, string | string[]>;
  expected: Decision;
}

export interface PolicySet {
  organization: OrganizationModel;
  resourcePolicies: Record<string, PolicyJson>;
  /** Inline policies of the Identity Center permission sets, by permission set name. */
  permissionSetPolicies: Record<string, PolicyJson>;
}

export interface Mutation {
  scp?: ScpMutation;
  resourcePolicies?: Record<string, PolicyJson>;
  permissionSetPolicies?: Record<string, PolicyJson>;
}

export const ADMIN: PolicyJson = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

export interface Outcome {
  decision: Decision;
  /** Context keys the simulator dropped because they do not apply to the action: a scenario testing nothing. */
  ignoredContextKeys: string[];
}

export async function simulate(scenario: Scenario, policies: PolicySet, mutation: Mutation = {}): Promise<Outcome> {
  const isService = scenario.principal.endsWith('.amazonaws.com');
  const accountOfPrincipal = isService ? undefined : scenario.principal.split(':')[4];
  const context: Record<string, string | string[]> = {
    'aws:RequestedRegion': regionOf(scenario.resource) ?? 'us-east-1',
    'aws:SecureTransport': 'true',
    ...(isService ? {} : { 'aws:PrincipalArn': scenario.principal, 'aws:PrincipalAccount': accountOfPrincipal ?? '' }),
    ...scenario.context,
  };
  const resourcePolicies = mutation.resourcePolicies ?? policies.resourcePolicies;
  const resourcePolicy = scenario.resourcePolicy ? resourcePolicies[scenario.resourcePolicy] : undefined;
  if (scenario.resourcePolicy && !resourcePolicy) throw new Error(`unknown resource policy ${scenario.resourcePolicy}`);
  const permissionSetPolicies = mutation.permissionSetPolicies ?? policies.permissionSetPolicies;
  const inline = scenario.permissionSet ? permissionSetPolicies[scenario.permissionSet] : undefined;
  if (scenario.permissionSet && !inline)
    throw new Error(`no inline policy on permission set ${scenario.permissionSet}`);
  const identityPolicies = [...(scenario.identityPolicies ?? []), ...(inline ? [inline] : [])];
  const simulation: Simulation = aliasColonVariableKeys({
    identityPolicies: identityPolicies.map((policy, index) => ({ name: `identity-${index}`, policy })),
    serviceControlPolicies:
      scenario.scpAccount && !isService ? policies.organization.levelsFor(scenario.scpAccount, mutation.scp) : [],
    resourceControlPolicies: [],
    resourcePolicy,
    request: {
      principal: scenario.principal,
      action: scenario.action,
      resource: { resource: scenario.resource, accountId: scenario.resourceAccount },
      contextVariables: context,
    },
  });
  const result = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    throw new Error(`${scenario.name}: simulation input rejected: ${JSON.stringify(result.errors)}`);
  }
  if (result.resultType !== 'single') throw new Error(`${scenario.name}: use a concrete resource, not a wildcard`);
  return { decision: result.overallResult as Decision, ignoredContextKeys: result.result.ignoredContextKeys ?? [] };
}

/**
 * iam-simulate 0.1.173 drops request keys whose variable part follows a colon (`kms:EncryptionContext:<key>`); it
 * only recognises variables after a slash (`aws:ResourceTag/<key>`). Renaming the key the same way in the policies
 * AND in the request keeps the evaluation identical (same operators, same values) while the simulator keeps the
 * key. `aws:ResourceTag/` is valid for every KMS key action, where the encryption-context keys are used.
 */
const COLON_VARIABLE_ALIASES: ReadonlyArray<readonly [string, string]> = [
  ['kms:EncryptionContext:', 'aws:ResourceTag/kms-encryption-context:'],
];

function aliasColonVariableKeys(simulation: Simulation): Simulation {
  let text = JSON.stringify(simulation);
  for (const [from, to] of COLON_VARIABLE_ALIASES) text = text.split(`"${from}`).join(`"${to}`);
  return JSON.parse(text) as Simulation;
}

function regionOf(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region ? region : undefined;
}
