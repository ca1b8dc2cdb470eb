/**
 * Security services (requirement ORG-4), in the security account = delegated administrator, one stack per allowed region:
 * the GuardDuty detector of the administrator, Security Hub with auto-enable and default standards, an
 * organization Access Analyzer, and the organization conformance pack; in the primary region also the Config
 * aggregator over all accounts and the Security Hub cross-region finding aggregator.
 *
 * The security account is registered as delegated administrator of GuardDuty and Security Hub by the management
 * account's delegated-admin stack of the same region, deployed first (a stack dependency, index.ts). GuardDuty's
 * organization auto-enable has no CloudFormation resource: one `AwsCustomResource` calls
 * `guardduty:UpdateOrganizationConfiguration` with this stack's detector id (ADR 0044).
 */
import type { PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnAnalyzer } from 'aws-cdk-lib/aws-accessanalyzer';
import { CfnConfigurationAggregator, CfnOrganizationConformancePack } from 'aws-cdk-lib/aws-config';
import { CfnDetector } from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnFindingAggregator, CfnHub, CfnOrganizationConfiguration } from 'aws-cdk-lib/aws-securityhub';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { conformancePackTemplate } from '../conformance-rules.ts';

export interface SecurityServicesStackProps extends StackProps {
  config: PlatformConfig;
  /** True in the primary region: account-level rules and the aggregators live there. */
  primary: boolean;
  /** Every allowed region (the aggregators cover them). */
  regions: string[];
}

/** GuardDuty protection plans turned on in the security account and auto-enabled for every member. */
export const GUARDDUTY_FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS'];

export class SecurityServicesStack extends Stack {
  constructor(scope: Construct, id: string, props: SecurityServicesStackProps) {
    super(scope, id, props);
    const { config, primary, regions } = props;
    const app = config.organization.tags.app;

    const detector = new CfnDetector(this, 'GuardDutyDetector', {
      enable: true,
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      features: GUARDDUTY_FEATURES.map((name) => ({ name, status: 'ENABLED' })),
    });
    const autoEnable = {
      service: 'GuardDuty',
      action: 'UpdateOrganizationConfiguration',
      parameters: {
        DetectorId: detector.ref,
        AutoEnableOrganizationMembers: 'ALL',
        Features: GUARDDUTY_FEATURES.map((name) => ({ Name: name, AutoEnable: 'ALL' })),
      },
      physicalResourceId: PhysicalResourceId.of(`guardduty-auto-enable-${this.region}`),
    };
    new AwsCustomResource(this, 'GuardDutyAutoEnable', {
      resourceType: 'Custom::GuardDutyOrganizationAutoEnable',
      onCreate: autoEnable,
      onUpdate: autoEnable,
      // onDelete deliberately absent: removing the custom resource must not silently stop enrolling accounts that
      // join later; turning auto-enable off is a deliberate step (ADR 0044).
      policy: AwsCustomResourcePolicy.fromStatements([
        // The Service Authorization Reference lists no resource type for this action (the offline evaluator in
        // test/foundations rejects a detector ARN for it): '*' is the only resource that matches.
        new iam.PolicyStatement({ actions: ['guardduty:UpdateOrganizationConfiguration'], resources: ['*'] }),
      ]),
      installLatestAwsSdk: false,
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
