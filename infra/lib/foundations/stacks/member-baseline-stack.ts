/**
 * What every account gets (management account side): two service-managed StackSets that auto-deploy the member
 * baseline to every account of the member OUs (and to accounts added later), and the management account's own
 * Config recorder, which StackSets cannot reach.
 */
import type { PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { CfnConfigurationRecorder, CfnDeliveryChannel } from 'aws-cdk-lib/aws-config';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';
import type { LogArchiveNames } from '../log-archive-names.ts';
import { globalBaselineTemplate, regionalBaselineTemplate } from '../member-baseline-templates.ts';

export interface MemberBaselineStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
  logArchive: LogArchiveNames;
  /** OU ids (tokens) to deploy to: the top-level OUs, so every member account is covered. */
  targetOuIds: string[];
  /** Regions where regional services may run (Config records in each). */
  regions: string[];
}

export class MemberBaselineStack extends Stack {
  constructor(scope: Construct, id: string, props: MemberBaselineStackProps) {
    super(scope, id, props);
    const { config, accounts, logArchive, targetOuIds, regions } = props;
    const app = config.organization.tags.app;
    const common = {
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      managedExecution: { Active: true },
      operationPreferences: { failureToleranceCount: 0, maxConcurrentCount: 5, regionConcurrencyType: 'PARALLEL' },
    };

    const global = new CfnStackSet(this, 'GlobalBaseline', {
      ...common,
      stackSetName: `${app}-member-baseline-global`,
      description: 'Break-glass role (MFA), AWS Config service-linked role, guardrail enforcer role',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      templateBody: JSON.stringify(globalBaselineTemplate(config, accounts)),
      stackInstancesGroup: [
        { deploymentTargets: { organizationalUnitIds: targetOuIds }, regions: [config.organization.primaryRegion] },
      ],
    });
    const regional = new CfnStackSet(this, 'RegionalBaseline', {
      ...common,
      stackSetName: `${app}-member-baseline-regional`,
      description:
        'AWS Config recorder and delivery to the central bucket; S3 Block Public Access, EBS default encryption',
      templateBody: JSON.stringify(regionalBaselineTemplate(config, logArchive)),
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: targetOuIds }, regions }],
    });
    // The recorder needs the service-linked role the global baseline creates.
    regional.addResourceDependency(global);

    // The management account records too (in the primary region; its own StackSets cannot target it).
    const recorder = new CfnConfigurationRecorder(this, 'ManagementRecorder', {
      name: 'default',
      roleArn: `arn:aws:iam::${accounts.management.id}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    const channel = new CfnDeliveryChannel(this, 'ManagementDeliveryChannel', {
      name: 'default',
      // Encrypted by the bucket's default (the Config key of the log-archive account).
      s3BucketName: logArchive.configBucket,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    channel.addResourceDependency(recorder);
  }
}
