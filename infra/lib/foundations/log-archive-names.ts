/**
 * Deterministic names of the central logging resources. The trail (management account) names the bucket and the key
 * (log-archive account) before they exist in its account, the bucket and key policies name the trail, and member
 * accounts' Config delivery channels name the Config bucket: every side derives them here instead of passing tokens
 * across accounts.
 */
import type { PlatformConfig } from '@innovate/config';

export interface LogArchiveNames {
  /** The account that holds the buckets and keys. */
  archiveAccount: string;
  trailName: string;
  /** The organization trail lives in the management account (only it or a delegated admin may create one). */
  trailArn: string;
  cloudTrailBucket: string;
  configBucket: string;
  accessLogsBucket: string;
  /** KMS alias of the key the organization trail encrypts with (log-archive account). */
  trailKeyAlias: string;
  /** The same key by alias ARN: what the trail names (CloudTrail accepts an alias ARN in another account). */
  trailKeyAliasArn: string;
  /** KMS alias of the key the Config bucket encrypts with by default (log-archive account). */
  configKeyAlias: string;
}

export function logArchiveNames(config: PlatformConfig): LogArchiveNames {
  const org = config.organization;
  const app = org.tags.app;
  const management = org.accounts.foundations.id;
  const archive = org.accounts.logArchive.id;
  const trailName = `${app}-organization-trail`;
  const trailKeyAlias = `alias/${app}-org-cloudtrail`;
  return {
    archiveAccount: archive,
    trailName,
    trailArn: `arn:aws:cloudtrail:${org.primaryRegion}:${management}:trail/${trailName}`,
    cloudTrailBucket: `${app}-org-cloudtrail-${archive}`,
    configBucket: `${app}-org-config-${archive}`,
    accessLogsBucket: `${app}-org-s3-access-logs-${archive}`,
    trailKeyAlias,
    trailKeyAliasArn: `arn:aws:kms:${org.primaryRegion}:${archive}:${trailKeyAlias}`,
    configKeyAlias: `alias/${app}-org-config`,
  };
}
