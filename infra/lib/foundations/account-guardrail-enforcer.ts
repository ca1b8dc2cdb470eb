/**
 * The guardrail enforcer (ADR 0045): a Lambda-backed custom resource in every member account and allowed region that
 * switches on what CloudFormation has no resource type for — account-level S3 Block Public Access (once, in the
 * primary region: the setting is account-wide) and EBS encryption by default with the baseline's own CMK (per
 * region). The SCPs except only its role from the statements that keep both on, so nobody else can turn them off.
 *
 * StackSet templates cannot reference CDK assets, so the function's code is inline (Python: boto3 and `cfnresponse`
 * are provided by the runtime for inline code). Delete does nothing: switching a guardrail off is what the SCPs forbid.
 */
import type { PlatformConfig } from '@innovate/config';
import { guardrailEnforcerName } from './guardrail-settings.ts';
import { policyDocument } from './policies/policy-document.ts';

/** The custom resource's properties, by the account setting each one switches on. */
export const ENFORCER_PROPERTIES = {
  s3AccountBlockPublicAccess: 'BlockPublicAccess',
  ebsEncryptionByDefault: 'EbsDefaultKmsKeyArn',
} as const;
export type EnforcedSetting = keyof typeof ENFORCER_PROPERTIES;

/** Logical ids in the member-baseline templates (the tests and the docs name them). */
export const ENFORCER_IDS = {
  role: 'GuardrailEnforcerRole',
  function: 'GuardrailEnforcerFunction',
  logGroup: 'GuardrailEnforcerLogs',
  key: 'EbsDefaultKey',
  alias: 'EbsDefaultKeyAlias',
  resource: 'AccountGuardrails',
} as const;

export const ENFORCER_CODE = `import boto3
import cfnresponse


def handler(event, context):
    props = event["ResourceProperties"]
    physical_id = event.get("PhysicalResourceId") or "account-guardrails"
    try:
        # Delete leaves both settings on: turning them off is what the SCPs forbid.
        if event["RequestType"] in ("Create", "Update"):
            if props.get("${ENFORCER_PROPERTIES.s3AccountBlockPublicAccess}") == "true":
                account = context.invoked_function_arn.split(":")[4]
                boto3.client("s3control").put_public_access_block(
                    AccountId=account,
                    PublicAccessBlockConfiguration={
                        "BlockPublicAcls": True,
                        "IgnorePublicAcls": True,
                        "BlockPublicPolicy": True,
                        "RestrictPublicBuckets": True,
                    },
                )
            ec2 = boto3.client("ec2")
            ec2.enable_ebs_encryption_by_default()
            ec2.modify_ebs_default_kms_key_id(KmsKeyId=props["${ENFORCER_PROPERTIES.ebsEncryptionByDefault}"])
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, physical_id)
    except Exception as error:
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, physical_id, reason=str(error)[:500])
`;

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[]; Condition?: string };

/** The enforcer's role (IAM is global: one per account, in the global baseline). */
export function enforcerRole(config: PlatformConfig): Record<string, Resource> {
  const name = guardrailEnforcerName(config);
  return {
    [ENFORCER_IDS.role]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: name,
        Description: 'Switches on account S3 Block Public Access and EBS default encryption (SCP-excepted)',
        AssumeRolePolicyDocument: policyDocument([
          {
            Sid: 'LambdaInThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } as unknown as string } },
          },
        ]),
        Policies: [
          {
            PolicyName: 'account-guardrails',
            PolicyDocument: policyDocument([
              {
                // Account-level settings: these actions take no resource ARN.
                Sid: 'SwitchOnAccountGuardrails',
                Effect: 'Allow',
                Action: [
                  's3:PutAccountPublicAccessBlock',
                  'ec2:EnableEbsEncryptionByDefault',
                  'ec2:ModifyEbsDefaultKmsKeyId',
                ],
                Resource: '*',
              },
              {
                Sid: 'WriteOwnLogs',
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: {
                  'Fn::Sub': `arn:\${AWS::Partition}:logs:*:\${AWS::AccountId}:log-group:/aws/lambda/${name}:*`,
                } as unknown as string,
              },
            ]),
          },
        ],
      },
    },
  };
}

/** The CMK, function and custom resource of one region (regional baseline; the role comes from the global one). */
export function enforcerRegionalResources(config: PlatformConfig): Record<string, Resource> {
  const name = guardrailEnforcerName(config);
  const sub = (value: string) => ({ 'Fn::Sub': value }) as unknown as string;
  return {
    [ENFORCER_IDS.key]: {
      Type: 'AWS::KMS::Key',
      Properties: {
        Description: 'Default key of EBS encryption by default in this account and region',
        EnableKeyRotation: true,
        KeyPolicy: policyDocument([
          {
            Sid: 'AccountAdministersThroughIam',
            Effect: 'Allow',
            Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            // What AWS's own aws/ebs key allows: any principal of this account, only through EC2 in this region
            // (node groups' Auto Scaling role and Karpenter launch through EC2 and need nothing more).
            Sid: 'EbsThroughEc2InThisAccount',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: [
              'kms:Encrypt',
              'kms:Decrypt',
              'kms:ReEncrypt*',
              'kms:GenerateDataKey*',
              'kms:CreateGrant',
              'kms:DescribeKey',
            ],
            Resource: '*',
            Condition: {
              StringEquals: {
                'kms:CallerAccount': sub('${AWS::AccountId}'),
                'kms:ViaService': sub('ec2.${AWS::Region}.amazonaws.com'),
              },
            },
          },
        ]),
      },
    },
    [ENFORCER_IDS.alias]: {
      Type: 'AWS::KMS::Alias',
      Properties: {
        AliasName: config.organization.foundations.accountGuardrails.ebsDefaultKeyAlias,
        TargetKeyId: { Ref: ENFORCER_IDS.key },
      },
    },
    [ENFORCER_IDS.logGroup]: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: `/aws/lambda/${name}`, RetentionInDays: 365 },
    },
    [ENFORCER_IDS.function]: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: name,
        Description: 'Switches on account S3 Block Public Access and EBS default encryption; delete does nothing',
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Timeout: 60,
        Role: sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}`),
        Code: { ZipFile: ENFORCER_CODE },
      },
      DependsOn: [ENFORCER_IDS.logGroup],
    },
    [ENFORCER_IDS.resource]: {
      Type: 'Custom::AccountGuardrails',
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [ENFORCER_IDS.function, 'Arn'] },
        // Account-wide: switched on once, from the primary region.
        [ENFORCER_PROPERTIES.s3AccountBlockPublicAccess]: { 'Fn::If': ['IsPrimaryRegion', 'true', 'false'] },
        [ENFORCER_PROPERTIES.ebsEncryptionByDefault]: { 'Fn::GetAtt': [ENFORCER_IDS.key, 'Arn'] },
      },
    },
  };
}
