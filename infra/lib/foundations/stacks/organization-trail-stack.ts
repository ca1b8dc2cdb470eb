/**
 * The organization CloudTrail (management account): the one logging resource that must stay here, because only the
 * management account (or a delegated administrator) can create an organization trail. It writes across accounts to
 * the log-archive account's WORM bucket, encrypted with that account's key (named by alias ARN: no cross-account
 * token), and a rule forwards any attempt to stop, delete or narrow a trail to the security account (ADR 0048).
 */
import type { PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';
import { SecurityBusForwarder, securityBusArn } from '../constructs/security-bus-forwarder.ts';
import { logArchiveNames } from '../log-archive-names.ts';
import { trailTamperPattern } from '../tamper-patterns.ts';

export interface OrganizationTrailStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
}

export class OrganizationTrailStack extends Stack {
  readonly trail: CfnTrail;

  constructor(scope: Construct, id: string, props: OrganizationTrailStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const names = logArchiveNames(props.config);
    // The bucket and key policies (log-archive stack, deployed first) admit exactly this trail's ARN.
    this.trail = new CfnTrail(this, 'OrganizationTrail', {
      trailName: names.trailName,
      s3BucketName: names.cloudTrailBucket,
      kmsKeyId: names.trailKeyAliasArn,
      isLogging: true,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
    });
    new SecurityBusForwarder(this, 'TamperAlerts', {
      securityBusArn: securityBusArn(this.region, props.accounts.security.id),
      rules: {
        TrailTampering: {
          description: 'StopLogging, DeleteTrail, UpdateTrail or PutEventSelectors in the management account',
          pattern: trailTamperPattern(props.accounts.management.id),
        },
      },
    });
  }
}
