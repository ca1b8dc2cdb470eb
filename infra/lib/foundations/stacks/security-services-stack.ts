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
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { conformancePackTemplate } from '../conformance-rules.ts';
import { SecurityBusForwarder, securityBusArn } from '../constructs/security-bus-forwarder.ts';
import { serviceFindingRoutes } from '../finding-routes.ts';

export interface SecurityServicesStackProps extends StackProps {
  config: PlatformConfig;
  /** True in the primary region: account-level rules and the aggregators live there. */
  primary: boolean;
  /** Every allowed region (the aggregators cover them). */
  regions: string[];
}

/** GuardDuty protection plans turned on in the security account and auto-enabled for every member. */
export const GUARDDUTY_FEATURES = [
  'S3_DATA_EVENTS',
  'EKS_AUDIT_LOGS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
  'EKS_RUNTIME_MONITORING',
];
/**
 * Sub-settings of a protection plan: EKS Runtime Monitoring with GuardDuty managing its security agent as an EKS
 * add-on (`aws-guardduty-agent`) on every cluster, so no cluster stack installs or upgrades the agent itself.
 */
export const GUARDDUTY_ADDITIONAL: Readonly<Record<string, string[]>> = {
  EKS_RUNTIME_MONITORING: ['EKS_ADDON_MANAGEMENT'],
};
/** Amazon Inspector scans in the security account and auto-enabled for every member (ECR images, EC2 instances). */
export const INSPECTOR_RESOURCE_TYPES = ['ECR', 'EC2'];

/** The detector's protection plans, each with its sub-settings. */
function detectorFeatures(): CfnDetector.CFNFeatureConfigurationProperty[] {
  return GUARDDUTY_FEATURES.map((name) => ({
    name,
    status: 'ENABLED',
    ...(GUARDDUTY_ADDITIONAL[name]
      ? { additionalConfiguration: GUARDDUTY_ADDITIONAL[name].map((sub) => ({ name: sub, status: 'ENABLED' })) }
      : {}),
  }));
}

/** The call that enrolls every member account, present and future, in GuardDuty with the same protection plans. */
function guardDutyAutoEnableCall(detectorId: string, region: string): AwsSdkCall {
  return {
    service: 'GuardDuty',
    action: 'UpdateOrganizationConfiguration',
    parameters: {
      DetectorId: detectorId,
      AutoEnableOrganizationMembers: 'ALL',
      Features: GUARDDUTY_FEATURES.map((name) => ({
        Name: name,
        AutoEnable: 'ALL',
        ...(GUARDDUTY_ADDITIONAL[name]
          ? { AdditionalConfiguration: GUARDDUTY_ADDITIONAL[name].map((sub) => ({ Name: sub, AutoEnable: 'ALL' })) }
          : {}),
      })),
    },
    physicalResourceId: PhysicalResourceId.of(`guardduty-auto-enable-${region}`),
  };
}

/**
 * Inspector has no CloudFormation resource that enables scanning: one call enables it in this account (the
 * delegated administrator, registered by the delegated-admin stack), one auto-enables every member; both run with
 * the same policy.
 */
function inspectorCalls(account: string, region: string) {
  const inspectorAccount: AwsSdkCall = {
    service: 'Inspector2',
    action: 'Enable',
    parameters: { accountIds: [account], resourceTypes: INSPECTOR_RESOURCE_TYPES },
    physicalResourceId: PhysicalResourceId.of(`inspector-enable-${region}`),
  };
  const inspectorMembers: AwsSdkCall = {
    service: 'Inspector2',
    action: 'UpdateOrganizationConfiguration',
    parameters: { autoEnable: { ecr: true, ec2: true } },
    physicalResourceId: PhysicalResourceId.of(`inspector-auto-enable-${region}`),
  };
  const inspectorPolicy = AwsCustomResourcePolicy.fromStatements([
    // No resource types for these actions (Service Authorization Reference).
    new iam.PolicyStatement({
      actions: ['inspector2:Enable', 'inspector2:UpdateOrganizationConfiguration'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:aws:iam::${account}:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2`,
      ],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'inspector2.amazonaws.com' } },
    }),
  ]);
  return { inspectorAccount, inspectorMembers, inspectorPolicy };
}

export class SecurityServicesStack extends Stack {
  constructor(scope: Construct, id: string, props: SecurityServicesStackProps) {
    super(scope, id, props);
    const { config, primary, regions } = props;
    const app = config.organization.tags.app;

    const detector = new CfnDetector(this, 'GuardDutyDetector', {
      enable: true,
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      features: detectorFeatures(),
    });
    const autoEnable = guardDutyAutoEnableCall(detector.ref, this.region);
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
    const { inspectorAccount, inspectorMembers, inspectorPolicy } = inspectorCalls(this.account, this.region);
    const inspector = new AwsCustomResource(this, 'InspectorEnable', {
      resourceType: 'Custom::InspectorEnable',
      onCreate: inspectorAccount,
      onUpdate: inspectorAccount,
      // onDelete deliberately absent, as for GuardDuty: removing the resource must not stop vulnerability scanning.
      policy: inspectorPolicy,
      installLatestAwsSdk: false,
    });
    const inspectorAuto = new AwsCustomResource(this, 'InspectorAutoEnable', {
      resourceType: 'Custom::InspectorOrganizationAutoEnable',
      onCreate: inspectorMembers,
      onUpdate: inspectorMembers,
      policy: inspectorPolicy,
      installLatestAwsSdk: false,
    });
    inspectorAuto.node.addDependency(inspector);

    if (!primary) {
      // The findings topic lives in the primary region (security findings stack); GuardDuty, Config, Access Analyzer
      // and Inspector publish in the region of the finding, so this region forwards them there.
      // Security Hub is left out: its finding aggregator already brings every region's findings to the primary one.
      const { SecurityHubHighFindings: _aggregated, ...regional } = serviceFindingRoutes();
      new SecurityBusForwarder(this, 'ForwardFindings', {
        securityBusArn: securityBusArn(config.organization.primaryRegion, this.account),
        rules: Object.fromEntries(
          Object.entries(regional).map(([name, route]) => [
            name,
            { description: `${route.description} (to the primary region)`, pattern: route.pattern },
          ]),
        ),
      });
    }

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
