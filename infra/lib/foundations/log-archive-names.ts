/**
 * Deterministic names of the central logging resources. The trail's ARN appears in the bucket and key policies
 * before the trail exists, and member accounts' Config delivery channels name the Config bucket, so both sides
 * derive them here instead of passing tokens across accounts.
 */
import type { PlatformConfig } from '@innovate/config';

export interface LogArchiveNames {
  trailName: string;
  trailArn: string;
  cloudTrailBucket: string;
  configBucket: string;
  accessLogsBucket: string;
  /** KMS alias of the key member accounts' Config delivery channels encrypt with. */
  configKeyAlias: string;
}

export function logArchiveNames(config: PlatformConfig): LogArchiveNames {
  const org = config.organization;
  const app = org.tags.app;
  const management = org.accounts.foundations.id;
  const trailName = `${app}-organization-trail`;
  return {
    trailName,
    trailArn: `arn:aws:cloudtrail:${org.primaryRegion}:${management}:trail/${trailName}`,
    cloudTrailBucket: `${app}-org-cloudtrail-${management}`,
    configBucket: `${app}-org-config-${management}`,
    accessLogsBucket: `${app}-org-s3-access-logs-${management}`,
    configKeyAlias: `alias/${app}-org-config`,
  };
}
