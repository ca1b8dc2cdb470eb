/**
 * CloudFormation templates that StackSets (service-managed, auto-deploy) put into every member account, built as
 * plain JSON so their policies can be evaluated by the same scenario table as everything else.
 *
 * - global (one region): the break-glass role, the AWS Config service-linked role and the guardrail enforcer's role;
 * - regional (every allowed region): the Config recorder and its delivery channel to the central Config bucket, and
 *   the guardrail enforcer (account S3 Block Public Access, EBS encryption by default with its CMK; ADR 0045).
 */
import type { PlatformConfig } from '@innovate/config';
import type { AccountDirectory } from './account-directory.ts';
import { enforcerRegionalResources, enforcerRole } from './account-guardrail-enforcer.ts';
import type { LogArchiveNames } from './log-archive-names.ts';
import { policyDocument } from './policies/policy-document.ts';

export interface CfnTemplateJson {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown>; DependsOn?: string[]; Condition?: string }
  >;
}

export function globalBaselineTemplate(config: PlatformConfig, accounts: AccountDirectory): CfnTemplateJson {
  const f = config.organization.foundations;
  const management = accounts.management.id;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Innovate member baseline (global): break-glass role, AWS Config service-linked role, guardrail enforcer role',
    Resources: {
      BreakGlassRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: f.protectedRoles.breakGlassRoleName,
          Description: 'Emergency access; assumed only by break-glass users of the management account with fresh MFA',
          MaxSessionDuration: 3600,
          ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
          AssumeRolePolicyDocument: policyDocument([
            {
              Sid: 'BreakGlassUsersWithFreshMfa',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${management}:root` },
              Action: 'sts:AssumeRole',
              Condition: {
                ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${management}:user${f.breakGlassUserPath}*` },
                Bool: { 'aws:MultiFactorAuthPresent': 'true' },
                NumericLessThan: { 'aws:MultiFactorAuthAge': String(f.breakGlassMaxMfaAgeSeconds) },
              },
            },
          ]),
        },
      },
      ConfigServiceLinkedRole: {
        Type: 'AWS::IAM::ServiceLinkedRole',
        Properties: { AWSServiceName: 'config.amazonaws.com' },
      },
      ...enforcerRole(config),
    },
  };
}

export function regionalBaselineTemplate(config: PlatformConfig, names: LogArchiveNames): CfnTemplateJson {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Innovate member baseline (regional): AWS Config recorder delivering to the central Config bucket, guardrail enforcer',
    Conditions: {
      // Global resources (IAM) are recorded once, in the primary region.
      IsPrimaryRegion: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, config.organization.primaryRegion] },
    },
    Resources: {
      ConfigRecorder: {
        Type: 'AWS::Config::ConfigurationRecorder',
        Properties: {
          Name: 'default',
          RoleARN: {
            'Fn::Sub':
              'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
          },
          RecordingGroup: {
            AllSupported: true,
            IncludeGlobalResourceTypes: { 'Fn::If': ['IsPrimaryRegion', true, false] },
          },
        },
      },
      DeliveryChannel: {
        Type: 'AWS::Config::DeliveryChannel',
        Properties: {
          Name: 'default',
          // No S3KmsKeyArn: the bucket (log-archive account) encrypts with its Config key by default (ADR 0048).
          S3BucketName: names.configBucket,
          ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
        },
      },
      ...enforcerRegionalResources(config),
    },
  };
}
