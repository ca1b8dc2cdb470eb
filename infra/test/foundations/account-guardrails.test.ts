/**
 * The account-level guardrails are switched on, not only protected (requirement ORG-2): the member baseline's guardrail
 * enforcer sets S3 Block Public Access and EBS encryption by default (with the baseline's CMK) in every member account
 * and allowed region, each conformance rule about an account setting is tied to the resource that switches it on, the
 * SCPs except exactly the enforcer's role, and the inline code does what it says (run with stand-ins for boto3).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  ENFORCER_CODE,
  ENFORCER_IDS,
  ENFORCER_PROPERTIES,
  type EnforcedSetting,
} from '../../lib/foundations/account-guardrail-enforcer.ts';
import { CONFORMANCE_RULES } from '../../lib/foundations/conformance-rules.ts';
import { guardrailEnforcerName } from '../../lib/foundations/guardrail-settings.ts';
import { OrganizationModel } from './organization-model.ts';
import { accounts, config, foundations, resourcesOfType, synthesized } from './synthesized.ts';

const stacks = synthesized();
const org = config.organization;
const enforcerName = guardrailEnforcerName(config);

interface StackSetJson {
  StackSetName: string;
  TemplateBody: string;
  StackInstancesGroup: Array<{ DeploymentTargets: { OrganizationalUnitIds: unknown[] }; Regions: string[] }>;
}
interface BodyResource {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
}
const stackSets = resourcesOfType(stacks.memberBaseline.template, 'AWS::CloudFormation::StackSet').map(
  ([, resource]) => resource.Properties as unknown as StackSetJson,
);
const stackSetNamed = (suffix: string): StackSetJson => {
  const found = stackSets.find((stackSet) => stackSet.StackSetName === `${org.tags.app}-member-baseline-${suffix}`);
  if (!found) throw new Error(`no ${suffix} member-baseline StackSet`);
  return found;
};
const bodyOf = (stackSet: StackSetJson) =>
  JSON.parse(stackSet.TemplateBody) as { Resources: Record<string, BodyResource> };
const regional = stackSetNamed('regional');
const regionalBody = bodyOf(regional);
const globalBody = bodyOf(stackSetNamed('global'));
const enforcerResource = regionalBody.Resources[ENFORCER_IDS.resource];

/** Which setting each conformance rule about an account setting needs; a new one must be added here and switched on. */
const ACCOUNT_SETTING_RULES: Record<string, EnforcedSetting> = {
  's3-account-block-public-access': 's3AccountBlockPublicAccess',
  'ebs-encryption-by-default': 'ebsEncryptionByDefault',
};

describe('the member baseline switches the account guardrails on in every member account and region', () => {
  it('deploys the enforcer with the regional StackSet to every top-level OU and every allowed region', () => {
    const organization = stacks.organization.stack as unknown as { ouIds: Map<string, string> };
    const topLevel = foundations.organizationalUnits.filter((ou) => ou.parent === undefined).map((ou) => ou.name);
    const [group] = regional.StackInstancesGroup;
    const targets = JSON.stringify(group?.DeploymentTargets.OrganizationalUnitIds);
    for (const name of topLevel) {
      const token = stacks.memberBaseline.stack.resolve(organization.ouIds.get(name));
      expect(targets, `OU ${name}`).toContain(JSON.stringify(token));
    }
    expect(group?.DeploymentTargets.OrganizationalUnitIds).toHaveLength(topLevel.length);
    expect([...(group?.Regions ?? [])].sort()).toEqual([...new Set([org.primaryRegion, org.drRegion])].sort());
    expect(enforcerResource?.Type).toBe('Custom::AccountGuardrails');
    expect(enforcerResource?.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [ENFORCER_IDS.function, 'Arn'] });
  });

  it('reaches every member account: each sits under one of the targeted top-level OUs', () => {
    const model = new OrganizationModel(stacks.organization);
    const topLevel = new Set(foundations.organizationalUnits.filter((ou) => !ou.parent).map((ou) => ou.name));
    for (const account of accounts.members) {
      // root, ou:<top-level>, ..., the account itself (as the organization template places it)
      const path = model.pathOf(account.key);
      expect(topLevel.has(String(path[1]).replace(/^ou:/, '')), `${account.key} (${path.join('/')})`).toBe(true);
    }
  });

  it.each(Object.entries(ACCOUNT_SETTING_RULES))(
    'conformance rule %s is compliant by construction',
    (name, setting) => {
      const rule = CONFORMANCE_RULES.find((candidate) => candidate.name === name);
      expect(rule, `conformance rule ${name}`).toBeDefined();
      expect(rule?.switchedOnBy, `${name} names the setting that switches it on`).toBe(setting);
      const value = enforcerResource?.Properties[ENFORCER_PROPERTIES[setting]];
      expect(value, `${ENFORCER_IDS.resource}.${ENFORCER_PROPERTIES[setting]}`).toBeDefined();
    },
  );

  it('every rule that names a setting has the enforcer switch it on', () => {
    for (const rule of CONFORMANCE_RULES.filter((candidate) => candidate.switchedOnBy)) {
      const property = ENFORCER_PROPERTIES[rule.switchedOnBy as EnforcedSetting];
      expect(enforcerResource?.Properties[property], `${rule.name}: ${property}`).toBeDefined();
    }
  });

  it('switches Block Public Access on once per account (primary region) and sets the baseline CMK as the EBS default', () => {
    const properties = enforcerResource?.Properties ?? {};
    expect(properties[ENFORCER_PROPERTIES.s3AccountBlockPublicAccess]).toEqual({
      'Fn::If': ['IsPrimaryRegion', 'true', 'false'],
    });
    expect(properties[ENFORCER_PROPERTIES.ebsEncryptionByDefault]).toEqual({ 'Fn::GetAtt': [ENFORCER_IDS.key, 'Arn'] });
    const alias = regionalBody.Resources[ENFORCER_IDS.alias];
    expect(alias?.Properties).toEqual({
      AliasName: foundations.accountGuardrails.ebsDefaultKeyAlias,
      TargetKeyId: { Ref: ENFORCER_IDS.key },
    });
    const key = regionalBody.Resources[ENFORCER_IDS.key]?.Properties ?? {};
    expect(key.EnableKeyRotation).toBe(true);
    // Usable by the account's principals through EC2 only, like AWS's aws/ebs key.
    const statements = (key.KeyPolicy as { Statement: Array<{ Sid: string; Condition?: unknown }> }).Statement;
    expect(statements.find((statement) => statement.Sid === 'EbsThroughEc2InThisAccount')?.Condition).toEqual({
      StringEquals: {
        'kms:CallerAccount': { 'Fn::Sub': '${AWS::AccountId}' },
        'kms:ViaService': { 'Fn::Sub': 'ec2.${AWS::Region}.amazonaws.com' },
      },
    });
  });

  it('runs as the role the SCPs except, created once per account by the global StackSet', () => {
    const role = globalBody.Resources[ENFORCER_IDS.role];
    expect(role?.Properties.RoleName).toBe(enforcerName);
    expect(regionalBody.Resources[ENFORCER_IDS.role]).toBeUndefined();
    const fn = regionalBody.Resources[ENFORCER_IDS.function]?.Properties ?? {};
    expect(fn.FunctionName).toBe(enforcerName);
    expect(fn.Role).toEqual({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${enforcerName}` });
    expect((fn.Code as { ZipFile: string }).ZipFile).toBe(ENFORCER_CODE);
    const allowed = (
      (role?.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Array<{ Action: string[] }> } }>
    ).flatMap((policy) => policy.PolicyDocument.Statement.flatMap((statement) => statement.Action));
    expect(allowed.sort()).toEqual(
      [
        'ec2:EnableEbsEncryptionByDefault',
        'ec2:ModifyEbsDefaultKmsKeyId',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:PutAccountPublicAccessBlock',
      ].sort(),
    );
    const model = new OrganizationModel(stacks.organization);
    const excepted = (sid: string) => {
      const statement = model.scps
        .flatMap((scp) => scp.document.Statement)
        .find((candidate) => candidate.Sid === sid) as unknown as {
        Condition: { ArnNotLike: Record<string, string[]> };
      };
      return statement.Condition.ArnNotLike['aws:PrincipalArn'];
    };
    for (const sid of ['ProtectAccountBlockPublicAccess', 'DenyEbsEncryptionOff']) {
      expect(excepted(sid), sid).toContain(`arn:aws:iam::*:role/${enforcerName}`);
    }
  });
});

/** Runs the inline handler with stand-ins for boto3 and cfnresponse; returns the calls and the response sent. */
function runHandler(requestType: string, failWith?: string): { calls: unknown[][]; response: unknown[] } {
  const harness = `
import json, sys, types
calls, response = [], []
class Client:
    def __init__(self, service): self.service = service
    def __getattr__(self, name):
        def call(**kwargs):
            if ${JSON.stringify(failWith ?? '')} == name: raise RuntimeError("AccessDenied")
            calls.append([self.service, name, kwargs])
        return call
sys.modules["boto3"] = types.SimpleNamespace(client=Client)
sys.modules["cfnresponse"] = types.SimpleNamespace(
    SUCCESS="SUCCESS", FAILED="FAILED",
    send=lambda event, context, status, data, physical, reason=None: response.extend([status, physical, reason]))
scope = {}
exec(sys.stdin.read(), scope)
event = {"RequestType": "${requestType}", "ResourceProperties": {
    "${ENFORCER_PROPERTIES.s3AccountBlockPublicAccess}": "true",
    "${ENFORCER_PROPERTIES.ebsEncryptionByDefault}": "arn:aws:kms:us-east-1:100000000013:key/k"}}
context = types.SimpleNamespace(invoked_function_arn="arn:aws:lambda:us-east-1:100000000013:function:f")
scope["handler"](event, context)
print(json.dumps({"calls": calls, "response": response}))
`;
  const run = spawnSync('python3', ['-c', harness], { input: ENFORCER_CODE, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { calls: unknown[][]; response: unknown[] };
}

describe('the enforcer function', () => {
  it.each(['Create', 'Update'])('on %s switches both settings on and reports success', (requestType) => {
    const { calls, response } = runHandler(requestType);
    expect(calls).toEqual([
      [
        's3control',
        'put_public_access_block',
        {
          AccountId: '100000000013',
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        },
      ],
      ['ec2', 'enable_ebs_encryption_by_default', {}],
      ['ec2', 'modify_ebs_default_kms_key_id', { KmsKeyId: 'arn:aws:kms:us-east-1:100000000013:key/k' }],
    ]);
    expect(response[0]).toBe('SUCCESS');
  });

  it('on Delete changes nothing (switching a guardrail off is what the SCPs forbid) and reports success', () => {
    expect(runHandler('Delete')).toEqual({ calls: [], response: ['SUCCESS', 'account-guardrails', null] });
  });

  it('reports a failed call as FAILED with the reason, so the stack instance does not pretend', () => {
    const { response } = runHandler('Create', 'enable_ebs_encryption_by_default');
    expect(response).toEqual(['FAILED', 'account-guardrails', 'AccessDenied']);
  });
});
