/**
 * The organization as the synthesized organization template describes it: which SCPs are attached where, and
 * which levels (root → OUs → account) apply to each member account. Built from the template's
 * AWS::Organizations::{OrganizationalUnit,Account,Policy} resources, not from config or the policy builders.
 */
import type { SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import { type CfnResource, config, foundations, resourcesOfType, type SynthesizedStack } from './synthesized.ts';

/** AWS attaches FullAWSAccess to the root and to every new OU and account; it counts toward the 5-per-target limit. */
export const FULL_AWS_ACCESS = {
  name: 'FullAWSAccess',
  policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

export interface SynthesizedScp {
  logicalId: string;
  name: string;
  /** The Content as CloudFormation sends it: compact JSON. */
  content: string;
  document: { Version: string; Statement: Array<Record<string, unknown> & { Sid: string }> };
  /** Resolved targets: the root id, or `ou:<name>`. */
  targets: string[];
}

/** Returns a changed copy of a policy document, or undefined to drop the policy from its targets. */
export type ScpMutation = (scp: SynthesizedScp) => SynthesizedScp['document'] | undefined;

export class OrganizationModel {
  readonly scps: SynthesizedScp[];
  private readonly ous: Map<string, { name: string; parent: string }>;
  private readonly accountParents: Map<string, string>;

  constructor(private readonly org: SynthesizedStack) {
    this.ous = new Map(
      resourcesOfType(org.template, 'AWS::Organizations::OrganizationalUnit').map(([id, ou]) => [
        id,
        { name: prop(ou, 'Name') as string, parent: this.target(prop(ou, 'ParentId')) },
      ]),
    );
    this.accountParents = new Map(
      resourcesOfType(org.template, 'AWS::Organizations::Account').map(([, account]) => {
        const parents = prop(account, 'ParentIds') as unknown[];
        if (parents.length !== 1) throw new Error('an account has exactly one parent');
        return [prop(account, 'AccountName') as string, this.target(parents[0])];
      }),
    );
    this.scps = resourcesOfType(org.template, 'AWS::Organizations::Policy')
      .filter(([, policy]) => prop(policy, 'Type') === 'SERVICE_CONTROL_POLICY')
      .map(([logicalId, policy]) => {
        const document = prop(policy, 'Content');
        if (JSON.stringify(document).includes('"Fn::') || JSON.stringify(document).includes('"Ref"')) {
          throw new Error(`${logicalId}: an SCP must be literal JSON (no tokens), so its size is known at synth`);
        }
        return {
          logicalId,
          name: prop(policy, 'Name') as string,
          content: JSON.stringify(document),
          document: document as SynthesizedScp['document'],
          targets: (prop(policy, 'TargetIds') as unknown[]).map((target) => this.target(target)),
        };
      });
  }

  /** Every target that has SCPs or accounts: the root and each OU, as `root`/`ou:<name>`. */
  targetsInUse(): string[] {
    return [foundations.rootId, ...[...this.ous.values()].map((ou) => `ou:${ou.name}`)];
  }

  /** SCP names attached to a target, FullAWSAccess included. */
  attachedTo(target: string): string[] {
    return [FULL_AWS_ACCESS.name, ...this.scps.filter((scp) => scp.targets.includes(target)).map((scp) => scp.name)];
  }

  /** The path from the root down to an account's own level. */
  pathOf(accountKey: string): string[] {
    const accountName = `${config.organization.tags.app}-${accountKey}`;
    let parent = this.accountParents.get(accountName);
    if (parent === undefined) throw new Error(`no account ${accountName} in the organization template`);
    const path = [accountName];
    while (parent !== foundations.rootId) {
      path.unshift(parent);
      const ou = [...this.ous.values()].find((candidate) => `ou:${candidate.name}` === parent);
      if (!ou) throw new Error(`unknown parent ${parent}`);
      parent = ou.parent;
    }
    path.unshift(foundations.rootId);
    return path;
  }

  /** The SCP levels iam-simulate expects for a member account, root first, optionally mutated. */
  levelsFor(accountKey: string, mutation?: ScpMutation): SimulationOrgPolicies[] {
    return this.pathOf(accountKey).map((target) => ({
      orgIdentifier: target,
      policies: [
        FULL_AWS_ACCESS,
        ...this.scps
          .filter((scp) => scp.targets.includes(target))
          .map((scp) => ({ name: scp.name, policy: mutation ? mutation(scp) : scp.document }))
          .filter((entry): entry is { name: string; policy: SynthesizedScp['document'] } => entry.policy !== undefined),
      ],
    }));
  }

  private target(value: unknown): string {
    if (typeof value === 'string') return value;
    const ref = (value as { Ref?: string }).Ref;
    const ou = ref ? this.org.template.Resources[ref] : undefined;
    if (ou?.Type !== 'AWS::Organizations::OrganizationalUnit') {
      throw new Error(`target ${JSON.stringify(value)} is neither the root id nor an OU`);
    }
    return `ou:${prop(ou, 'Name') as string}`;
  }
}

function prop(resource: CfnResource, name: string): unknown {
  const value = resource.Properties?.[name];
  if (value === undefined) throw new Error(`${resource.Type} has no ${name}`);
  return value;
}
