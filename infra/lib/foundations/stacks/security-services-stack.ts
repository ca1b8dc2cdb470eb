/**
 * Security services (spec §1), in the security account = delegated administrator, one stack per allowed region:
 * the GuardDuty detector of the administrator, Security Hub with auto-enable and default standards, an
 * organization Access Analyzer, and the organization conformance pack; in the primary region also the Config
 * aggregator over all accounts and the Security Hub cross-region finding aggregator.
 *
 * Registering the security account as delegated administrator is done once from the management account
 * (docs/deployment.md), before this stack is deployed.
 */
import type { PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnAnalyzer } from 'aws-cdk-lib/aws-accessanalyzer';
import { CfnConfigurationAggregator, CfnOrganizationConformancePack } from 'aws-cdk-lib/aws-config';
import { CfnDetector } from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnFindingAggregator, CfnHub, CfnOrganizationConfiguration } from 'aws-cdk-lib/aws-securityhub';
import type { Construct } from 'constructs';
import { conformancePackTemplate } from '../conformance-rules.ts';

export interface SecurityServicesStackProps extends StackProps {
  config: PlatformConfig;
  /** True in the primary region: account-level rules and the aggregators live there. */
  primary: boolean;
  /** Every allowed region (the aggregators cover them). */
  regions: string[];
}

/** GuardDuty protection plans turned on in the security account (and auto-enabled for members, docs/deployment.md). */
export const GUARDDUTY_FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS'];

export class SecurityServicesStack extends Stack {
  constructor(scope: Construct, id: string, props: SecurityServicesStackProps) {
    super(scope, id, props);
    const { config, primary, regions } = props;
    const app = config.organization.tags.app;

    // Auto-enabling GuardDuty for members has no CloudFormation resource; it is one CLI call in the one-time
    // delegated-admin step (docs/deployment.md), which also turns on these features organization-wide.
    new CfnDetector(this, 'GuardDutyDetector', {
      enable: true,
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      features: GUARDDUTY_FEATURES.map((name) => ({ name, status: 'ENABLED' })),
    });
    const hub = new CfnHub(this, 'SecurityHub', {
      enableDefaultStandards: true,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    const hubOrg = new CfnOrganizationConfiguration(this, 'SecurityHubAutoEnable', {
      autoEnable: true,
      autoEnableStandards: 'DEFAULT',
      configurationType: 'LOCAL',
    });
    hubOrg.addResourceDependency(hub);

    new CfnAnalyzer(this, 'OrganizationAccessAnalyzer', {
      analyzerName: `${app}-organization`,
      type: 'ORGANIZATION',
    });

    new CfnOrganizationConformancePack(this, 'ConformancePack', {
      organizationConformancePackName: `${app}-baseline`,
      templateBody: conformancePackTemplate(primary),
    });

    if (primary) {
      const findings = new CfnFindingAggregator(this, 'SecurityHubFindingAggregator', {
        regionLinkingMode: 'SPECIFIED_REGIONS',
        regions: regions.filter((region) => region !== this.region),
      });
      findings.addResourceDependency(hub);

      const aggregatorRole = new iam.Role(this, 'ConfigAggregatorRole', {
        assumedBy: new iam.ServicePrincipal('config.amazonaws.com'),
        description: 'Lets AWS Config read the organization to aggregate every account',
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations')],
      });
      new CfnConfigurationAggregator(this, 'ConfigAggregator', {
        configurationAggregatorName: `${app}-organization`,
        organizationAggregationSource: { roleArn: aggregatorRole.roleArn, awsRegions: regions },
      });
    }
  }
}
