/**
 * The AWS Config managed rules of the organization conformance pack (requirement ORG-3: drift and compliance): encryption of
 * EBS/RDS/S3, no public buckets, root MFA, CloudTrail on, IMDSv2, private database and cluster endpoints.
 * Account-level rules run in the primary region only (they would report the same thing twice).
 */
import type { EnforcedSetting } from './account-guardrail-enforcer.ts';

export interface ManagedRule {
  /** Rule name in the conformance pack. */
  name: string;
  /** AWS managed rule identifier. */
  identifier: string;
  /** True for rules about the account rather than about regional resources. */
  accountLevel?: boolean;
  /**
   * The account setting this rule checks, which the member baseline's guardrail enforcer switches on (ADR 0045): the
   * rule is compliant by construction, not by someone remembering a console step.
   */
  switchedOnBy?: EnforcedSetting;
}

export const CONFORMANCE_RULES: readonly ManagedRule[] = [
  { name: 'ebs-volumes-encrypted', identifier: 'ENCRYPTED_VOLUMES' },
  {
    name: 'ebs-encryption-by-default',
    identifier: 'EC2_EBS_ENCRYPTION_BY_DEFAULT',
    switchedOnBy: 'ebsEncryptionByDefault',
  },
  { name: 'rds-storage-encrypted', identifier: 'RDS_STORAGE_ENCRYPTED' },
  { name: 'rds-not-public', identifier: 'RDS_INSTANCE_PUBLIC_ACCESS_CHECK' },
  { name: 's3-encrypted', identifier: 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED' },
  { name: 's3-no-public-read', identifier: 'S3_BUCKET_PUBLIC_READ_PROHIBITED' },
  { name: 's3-no-public-write', identifier: 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED' },
  { name: 's3-tls-only', identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY' },
  { name: 'ec2-imdsv2', identifier: 'EC2_IMDSV2_CHECK' },
  { name: 'eks-endpoint-private', identifier: 'EKS_ENDPOINT_NO_PUBLIC_ACCESS' },
  { name: 'cloudtrail-enabled', identifier: 'CLOUD_TRAIL_ENABLED', accountLevel: true },
  { name: 'root-mfa', identifier: 'ROOT_ACCOUNT_MFA_ENABLED', accountLevel: true },
  {
    name: 's3-account-block-public-access',
    identifier: 'S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC',
    accountLevel: true,
    switchedOnBy: 's3AccountBlockPublicAccess',
  },
];

/** Managed rules that are periodic only (they take no configuration-change trigger). */
const PERIODIC = new Set([
  'CLOUD_TRAIL_ENABLED',
  'ROOT_ACCOUNT_MFA_ENABLED',
  'S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC',
]);

export function conformancePackTemplate(primaryRegion: boolean): string {
  const rules = CONFORMANCE_RULES.filter((rule) => primaryRegion || !rule.accountLevel);
  const resources = Object.fromEntries(
    rules.map((rule) => [
      rule.name.replace(/(^|-)([a-z0-9])/g, (_match, _dash, char: string) => char.toUpperCase()),
      {
        Type: 'AWS::Config::ConfigRule',
        Properties: {
          ConfigRuleName: rule.name,
          Source: { Owner: 'AWS', SourceIdentifier: rule.identifier },
          ...(PERIODIC.has(rule.identifier) ? { MaximumExecutionFrequency: 'TwentyFour_Hours' } : {}),
        },
      },
    ]),
  );
  return JSON.stringify({ Resources: resources });
}
