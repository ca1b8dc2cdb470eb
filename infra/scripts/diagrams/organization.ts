/**
 * The organization: the root and its OUs with the accounts in each (the organization stack's template), the policies
 * attached to each level (SCPs and the tag policy, with their targets), and what runs where: every synthesized
 * stack placed in its account and region (cdk.out's manifest), and the member-baseline StackSets on the OUs they
 * target. Account names come from config (organization.yaml and the environments' files).
 */
import type { PlatformConfig } from '@innovate/config';
import type { Diagram } from './diagram.ts';
import type { Resource, SynthesizedApp } from './synthesized-app.ts';

const ORGANIZATION_STACK = 'innovate-foundations-organization';
const MEMBER_BASELINE_STACK = 'innovate-foundations-member-baseline';

interface Level {
  /** Mermaid id: `root` or `ou_<Name>`. */
  id: string;
  name: string;
  parent: string | undefined;
  accounts: string[];
  policies: Resource[];
  stackSets: string[];
}

/** Account id → the name people use for it (config keys and environment names). */
function accountNames(config: PlatformConfig): Map<string, string> {
  const names = new Map<string, string>();
  for (const [key, account] of Object.entries(config.organization.accounts)) names.set(account.id, key);
  for (const [key, account] of Object.entries(config.organization.foundations.optionalAccounts)) {
    if (account) names.set(account.id, key);
  }
  for (const env of config.environments) names.set(env.account.id, env.name);
  return names;
}

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation reference to an OU in the same template.
function ouRef(value: any): string | undefined {
  return typeof value?.Ref === 'string' ? value.Ref : undefined;
}

export function organization(app: SynthesizedApp, config: PlatformConfig): Diagram {
  const rootId = config.organization.foundations.rootId;
  const ous = app.all(ORGANIZATION_STACK, 'AWS::Organizations::OrganizationalUnit');
  if (ous.length === 0) throw new Error(`architecture-diagram: ${ORGANIZATION_STACK} has no organizational units`);
  const ouName = new Map(ous.map((ou) => [ou.logicalId, ou.Properties.Name as string]));
  const levelOf = (target: unknown): string => {
    if (target === rootId) return 'root';
    const ref = ouRef(target);
    const name = ref ? ouName.get(ref) : undefined;
    if (!name)
      throw new Error(`architecture-diagram: ${ORGANIZATION_STACK} targets ${JSON.stringify(target)}, not an OU of it`);
    return `ou_${name}`;
  };
  const levels = new Map<string, Level>([
    [
      'root',
      { id: 'root', name: `Organization root ${rootId}`, parent: undefined, accounts: [], policies: [], stackSets: [] },
    ],
  ]);
  for (const ou of ous) {
    const id = `ou_${ou.Properties.Name}`;
    levels.set(id, {
      id,
      name: `OU ${ou.Properties.Name}`,
      parent: levelOf(ou.Properties.ParentId),
      accounts: [],
      policies: [],
      stackSets: [],
    });
  }
  const level = (id: string) => levels.get(id) as Level;

  const names = accountNames(config);
  const managementId = app.stack(ORGANIZATION_STACK).account;
  const management = names.get(managementId) ?? managementId;
  level('root').accounts.push(management);
  for (const account of app.all(ORGANIZATION_STACK, 'AWS::Organizations::Account')) {
    const key = String(account.Properties.AccountName).replace(/^innovate-/, '');
    for (const parent of account.Properties.ParentIds) level(levelOf(parent)).accounts.push(key);
  }
  const policies = app.all(ORGANIZATION_STACK, 'AWS::Organizations::Policy');
  for (const policy of policies) {
    for (const target of policy.Properties.TargetIds) level(levelOf(target)).policies.push(policy);
  }
  // StackSets target OUs through the organization stack's outputs (cross-stack references).
  const organizationOutputs = app.stack(ORGANIZATION_STACK).outputs;
  const stackSets = app.all(MEMBER_BASELINE_STACK, 'AWS::CloudFormation::StackSet');
  const stackSetRows: string[] = [];
  for (const stackSet of stackSets) {
    // biome-ignore lint/suspicious/noExplicitAny: StackSet instance group JSON.
    for (const group of stackSet.Properties.StackInstancesGroup as any[]) {
      const targets = (
        group.DeploymentTargets.OrganizationalUnitIds as { 'Fn::GetStackOutput': { OutputName: string } }[]
      ).map((id) => levelOf(organizationOutputs[id['Fn::GetStackOutput'].OutputName]?.Value));
      for (const target of targets) level(target).stackSets.push(stackSet.Properties.StackSetName);
      stackSetRows.push(
        `| \`${stackSet.Properties.StackSetName}\` | ${targets.map((t) => level(t).name).join(', ')} | ${group.Regions.join(', ')} | ${stackSet.Properties.Description} |`,
      );
    }
  }

  // What runs where: the stacks of each account, by region.
  const stacksOf = (account: string) => {
    const byRegion = new Map<string, string[]>();
    for (const stack of app.stacks.filter((s) => (names.get(s.account) ?? s.account) === account)) {
      // The account's own name is the stacks' common prefix: `prod-network` is shown as `network`.
      byRegion.set(stack.region, [...(byRegion.get(stack.region) ?? []), stack.part]);
    }
    return [...byRegion].sort(([a], [b]) => a.localeCompare(b));
  };
  const accountIds = new Map([...names].map(([id, name]) => [name, id]));
  const shortPolicy = (policy: Resource) =>
    `${policy.Properties.Type === 'TAG_POLICY' ? 'tag policy' : 'SCP'} ${String(policy.Properties.Name).replace(/^innovate-/, '')}`;

  // A tree (root → OUs → accounts) lays out far better than nested subgraphs; what is attached to a level hangs off it.
  const mermaid = ['flowchart TB'];
  for (const here of levels.values()) {
    const label = here.id === 'root' ? `<b>Root</b> ${rootId}` : `<b>OU</b> ${here.name.replace(/^OU /, '')}`;
    mermaid.push(`  ${here.id}(["${label}"])`);
    if (here.parent) mermaid.push(`  ${here.parent} --> ${here.id}`);
    const applied = [
      ...here.policies.map(shortPolicy),
      ...[...new Set(here.stackSets)].map((name) => `StackSet ${name.replace(/^innovate-/, '')}`),
    ];
    if (applied.length > 0)
      mermaid.push(`  ${here.id}_applied[/"${applied.join('<br/>')}"/]`, `  ${here.id} -.- ${here.id}_applied`);
    for (const account of here.accounts) {
      const lines = stacksOf(account).map(([region, stacks]) => `<i>${region}</i>: ${stacks.join(', ')}`);
      const role = account === management ? ' (management)' : '';
      mermaid.push(
        `  acct_${account}["<b>${account}</b>${role} ${accountIds.get(account) ?? ''}<br/>${lines.join('<br/>')}"]`,
      );
      mermaid.push(`  ${here.id} --> acct_${account}`);
    }
  }

  const levelOfAccount = (account: string) =>
    [...levels.values()].find((l) => l.accounts.includes(account))?.name ?? '';
  const accounts = [...levels.values()].flatMap((l) => l.accounts);
  const after = [
    'Rounded boxes are the root and its OUs, square ones the accounts in each with the stacks each account runs per region (stack names without `innovate-<account>-`); slanted boxes are what is attached at a level and applies to every account below it: policies, and the StackSets the management account rolls out to each account of the OU.',
    '',
    '| account | id | in | stacks |',
    '| --- | --- | --- | --- |',
    ...accounts.map(
      (account) =>
        `| ${account} | ${accountIds.get(account) ?? ''} | ${levelOfAccount(account)} | ${stacksOf(account)
          .map(([region, stacks]) => `${region}: ${stacks.length}`)
          .join(', ')} |`,
    ),
    '',
    '| policy | type | attached to | what it does |',
    '| --- | --- | --- | --- |',
    ...policies.map(
      (policy) =>
        `| \`${policy.Properties.Name}\` | ${policy.Properties.Type === 'TAG_POLICY' ? 'tag policy' : 'SCP'} | ${(policy.Properties.TargetIds as unknown[]).map((t) => level(levelOf(t)).name).join(', ')} | ${policy.Properties.Description} |`,
    ),
    '',
    '| StackSet | OUs | regions | what it holds |',
    '| --- | --- | --- | --- |',
    ...stackSetRows,
  ];
  return { name: 'organization', title: 'Organization: OUs, accounts, policies and what runs where', mermaid, after };
}
