/**
 * The CloudFront WAF (requirement EDGE-3): WAFv2 web ACL in CLOUDFRONT scope (which exists only in us-east-1) with the AWS
 * managed rule groups the spec names and a per-IP rate limit, logged to CloudWatch Logs.
 */
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { addWafLogging } from './waf-logging.ts';

/** AWS managed rule groups, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

/** Requests per client IP in any 5-minute window before WAF blocks it. */
export const RATE_LIMIT_PER_5_MINUTES = 2000;

export interface EdgeWebAclProps {
  name: string;
  logsKey: kms.IKey;
  logRetentionDays: number;
}

export class EdgeWebAcl extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: RATE_LIMIT_PER_5_MINUTES, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility(`${props.name}-rate-limit`),
      },
      ...MANAGED_RULE_GROUPS.map((group, index) => ({
        name: group,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
        visibilityConfig: visibility(`${props.name}-${group}`),
      })),
    ];
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'CLOUDFRONT',
      description: 'CloudFront: managed rule groups and per-IP rate limit',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules,
    });
    addWafLogging(this, {
      webAcl: this.webAcl,
      webAclName: props.name,
      logGroupId: 'Logs',
      logRetentionDays: props.logRetentionDays,
      logsKey: props.logsKey,
      // Session cookies and tokens never reach the logs.
      redactedHeaders: ['authorization', 'cookie'],
    });
  }
}
