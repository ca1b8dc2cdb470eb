/**
 * The organization diagram is drawn from the organization stack's template: accounts sit under the OU their
 * template puts them in, and a policy hangs off exactly the level it targets. A synthetic app keeps the cases small.
 */
import { loadPlatformConfig } from '@innovate/config';
import { describe, expect, it } from 'vitest';
import { organization } from '../../scripts/diagrams/organization.ts';
import { type Resource, SynthesizedApp, type SynthesizedStack } from '../../scripts/diagrams/synthesized-app.ts';

const config = loadPlatformConfig();
const rootId = config.organization.foundations.rootId;

function stack(id: string, account: string, resources: Resource[]): SynthesizedStack {
  const [, env = '', ...part] = id.split('-');
  return {
    id,
    env,
    part: part.join('-'),
    account,
    region: 'us-east-1',
    dependencies: [],
    resources,
    counts: new Map(),
    total: resources.length,
    outputs: {},
  };
}

function app(policyTarget: unknown): SynthesizedApp {
  const management = config.organization.accounts.foundations.id;
  const prod = config.environment('prod').account.id;
  return new SynthesizedApp([
    stack('innovate-foundations-organization', management, [
      {
        logicalId: 'OuWorkloads',
        Type: 'AWS::Organizations::OrganizationalUnit',
        Properties: { Name: 'Workloads', ParentId: rootId },
      },
      {
        logicalId: 'OuProd',
        Type: 'AWS::Organizations::OrganizationalUnit',
        Properties: { Name: 'Prod', ParentId: { Ref: 'OuWorkloads' } },
      },
      {
        logicalId: 'Accountprod',
        Type: 'AWS::Organizations::Account',
        Properties: { AccountName: 'innovate-prod', ParentIds: [{ Ref: 'OuProd' }] },
      },
      {
        logicalId: 'RootScp',
        Type: 'AWS::Organizations::Policy',
        Properties: {
          Name: 'innovate-restrict-regions',
          Type: 'SERVICE_CONTROL_POLICY',
          TargetIds: [rootId],
          Description: 'regions',
        },
      },
      {
        logicalId: 'ProdScp',
        Type: 'AWS::Organizations::Policy',
        Properties: {
          Name: 'innovate-protect-production',
          Type: 'SERVICE_CONTROL_POLICY',
          TargetIds: [policyTarget],
          Description: 'prod',
        },
      },
    ]),
    stack('innovate-foundations-member-baseline', management, []),
    stack('innovate-prod-network', prod, []),
  ]);
}

describe('organization diagram from the organization template', () => {
  it('places each account under its OU, and each policy on the level it targets', () => {
    const source = organization(app({ Ref: 'OuProd' }), config).mermaid.join('\n');
    expect(source).toContain('ou_Workloads --> ou_Prod');
    expect(source).toContain('ou_Prod --> acct_prod');
    expect(source).toMatch(/acct_prod\[".*us-east-1<\/i>: network"\]/);
    expect(source).toMatch(/ou_Prod_applied\[\/"SCP protect-production"\/\]/);
    expect(source).toMatch(/root_applied\[\/"SCP restrict-regions"\/\]/);
  });

  it('refuses a policy target that is neither the root nor an OU of the template', () => {
    expect(() => organization(app({ Ref: 'OuMissing' }), config)).toThrow(/targets .*OuMissing.*not an OU/);
  });
});

describe('a diagram draws only resources the templates hold', () => {
  it('stops naming the stack and the type when a drawn resource is missing', () => {
    expect(() => app(rootId).only('innovate-prod-network', 'AWS::EC2::VPC')).toThrow(
      'innovate-prod-network has 0 AWS::EC2::VPC where the diagram draws exactly one',
    );
  });
});
