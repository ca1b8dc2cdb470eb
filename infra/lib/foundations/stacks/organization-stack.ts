/**
 * The organization as code (management account): OUs, member accounts, the SCPs and the cost tag policy.
 *
 * The organization itself, its root, and the enabled policy types are one-time manual steps (docs/deployment.md);
 * their ids come from config. Member accounts are retained on removal: deleting an `AWS::Organizations::Account`
 * would close a live account.
 */
import type { PlatformConfig } from '@innovate/config';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnAccount, CfnOrganizationalUnit, CfnPolicy } from 'aws-cdk-lib/aws-organizations';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';
import type { GuardrailSettings } from '../guardrail-settings.ts';
import { type ScpTarget, serviceControlPolicies } from '../policies/service-control-policies.ts';
import { costTagPolicy } from '../policies/tag-policy.ts';

export interface OrganizationStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
  guardrails: GuardrailSettings;
}

export class OrganizationStack extends Stack {
  /** OU id (a token) by OU name. */
  readonly ouIds = new Map<string, string>();

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    const { config, accounts, guardrails } = props;
    const f = config.organization.foundations;
    const app = config.organization.tags.app;

    for (const ou of f.organizationalUnits) {
      const parentId = ou.parent === undefined ? f.rootId : this.ouId(ou.parent);
      const unit = new CfnOrganizationalUnit(this, `Ou${ou.name}`, { name: ou.name, parentId });
      unit.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.ouIds.set(ou.name, unit.ref);
    }

    for (const account of accounts.members) {
      const created = new CfnAccount(this, `Account-${account.key}`, {
        accountName: `${app}-${account.key}`,
        email: account.email,
        parentIds: [this.ouId(account.ou as string)],
        roleName: f.protectedRoles.orgAutomationRoleName,
      });
      created.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }

    const targets: Record<ScpTarget, string> = {
      root: f.rootId,
      workloads: this.ouId(f.workloadsOu),
      prod: this.ouId(f.prodOu),
    };
    for (const scp of serviceControlPolicies(guardrails)) {
      new CfnPolicy(this, scp.name, {
        name: scp.name,
        description: scp.description,
        type: 'SERVICE_CONTROL_POLICY',
        // CloudFormation sends the document compact; that length counts against the 5,120-character limit.
        content: scp.document,
        targetIds: [targets[scp.target]],
      });
    }

    new CfnPolicy(this, 'CostTagPolicy', {
      name: `${app}-cost-tags`,
      description: 'Cost-allocation tags: env, app, owner, cost-center',
      type: 'TAG_POLICY',
      content: costTagPolicy(config),
      targetIds: [f.rootId],
    });
  }

  private ouId(name: string): string {
    const id = this.ouIds.get(name);
    if (id === undefined) throw new Error(`OU "${name}" is not declared before use`);
    return id;
  }
}
