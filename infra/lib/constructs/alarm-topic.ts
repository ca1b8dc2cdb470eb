/**
 * The SNS topic every alarm of the environment notifies (requirement OBS-4), encrypted with a CMK CloudWatch may use, TLS-only,
 * with the configured e-mail subscribed. Paging (prod) is a subscription the on-call tool adds; see docs/deployment.md.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Deterministic topic name (config `names.alarmTopicName`). */
  topicName: string;
  /** Who is notified by e-mail; none for a topic an on-call tool subscribes to (paging). */
  email?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  private readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: `Encrypts SNS topic ${props.topicName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key = key;
    // CloudWatch alarms publish to an encrypted topic only if the key lets CloudWatch encrypt for it; only alarms of
    // this account (aws:SourceAccount), so another account's alarm cannot use the key through the service.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { topicName: props.topicName, masterKey: key, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }

  /**
   * Lets EventBridge rules of this account publish here (the rule target adds the topic policy); SNS encrypts each
   * message with the topic's key on EventBridge's behalf, which the key policy must therefore admit.
   */
  allowEventBridge(account: string): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeRulesPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }

  /**
   * Lets the AMP alert manager of one workspace publish here: the topic policy names the workspace (aws:SourceArn)
   * and the account; the key policy can only name the account, because the workspace's alert manager definition
   * holds this topic's ARN and the topic holds the key, so the key cannot refer back to the workspace (a cycle).
   */
  allowPrometheusAlertManager(workspaceArn: string, account: string): void {
    const principal = new iam.ServicePrincipal('aps.amazonaws.com');
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PrometheusAlertManagerPublish',
        principals: [principal],
        actions: ['sns:Publish', 'sns:GetTopicAttributes'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': workspaceArn },
          StringEquals: { 'aws:SourceAccount': account },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PrometheusAlertManagerPublish',
        principals: [principal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
  }
}
