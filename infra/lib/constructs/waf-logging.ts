/**
 * Logging of a WAF web ACL to a KMS-encrypted CloudWatch log group, shared by the CloudFront web ACL and the ALB's
 * origin guard. A function rather than a construct so each caller keeps the logical IDs it already has
 * (`logGroupId`, `Logging`) and the synthesized templates do not change.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface WafLoggingProps {
  /** The web ACL whose requests are logged. */
  webAcl: wafv2.CfnWebACL;
  /** The ACL's name; WAF requires the log group to be named `aws-waf-logs-<something>`. */
  webAclName: string;
  /** Construct ID of the log group inside `scope`. */
  logGroupId: string;
  logRetentionDays: number;
  logsKey: kms.IKey;
  /** Header names (lower case) whose values must never reach the logs. */
  redactedHeaders: string[];
}

export function addWafLogging(scope: Construct, props: WafLoggingProps): logs.LogGroup {
  const logGroup = new logs.LogGroup(scope, props.logGroupId, {
    logGroupName: `aws-waf-logs-${props.webAclName}`,
    retention: props.logRetentionDays as logs.RetentionDays,
    encryptionKey: props.logsKey,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  new wafv2.CfnLoggingConfiguration(scope, 'Logging', {
    resourceArn: props.webAcl.attrArn,
    // WAF wants the log group ARN without the `:*` suffix CDK's logGroupArn carries.
    logDestinationConfigs: [
      Stack.of(scope).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
    redactedFields: props.redactedHeaders.map((name) => ({ singleHeader: { Name: name } })),
  });
  return logGroup;
}
