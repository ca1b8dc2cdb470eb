/**
 * A customer-managed KMS key CloudWatch Logs may use for this account's log groups in this region.
 *
 * CloudWatch Logs encrypts with a CMK only when the key policy admits the regional logs service principal; the
 * condition keeps the key usable for log groups of this account only.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface LogsKeyProps {
  /** What the key protects, for its description. */
  purpose: string;
}

export class LogsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogsKeyProps) {
    super(scope, id);
    const { region, account, partition } = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts CloudWatch log groups: ${props.purpose}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
        },
      }),
    );
  }
}
