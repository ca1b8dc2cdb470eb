/**
 * Findings reach a person (security account, primary region): one encrypted SNS topic with the configured e-mail
 * (and, optionally, a Slack channel through AWS Chatbot) subscribed, and one EventBridge rule per finding source
 * (finding-routes.ts) on the default bus. The bus admits events forwarded by the organization's accounts (the
 * log-archive tamper rules) and by this account's other regions (ADR 0049).
 */
import type { PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';
import { FoundationsKey } from '../constructs/foundations-key.ts';
import { findingRoutes } from '../finding-routes.ts';
import { logArchiveNames } from '../log-archive-names.ts';

export interface SecurityFindingsStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
}

export class SecurityFindingsStack extends Stack {
  readonly topic: sns.Topic;
  readonly rules: Record<string, events.Rule>;

  constructor(scope: Construct, id: string, props: SecurityFindingsStackProps) {
    super(scope, id, props);
    const { config, accounts } = props;
    const app = config.organization.tags.app;
    const findings = config.organization.foundations.securityFindings;
    const security = accounts.security.id;

    const key = new FoundationsKey(this, 'TopicKey', {
      alias: `alias/${app}-security-findings`,
      description: 'Encrypts the security findings topic',
      administeringAccount: security,
      uses: [
        new iam.PolicyStatement({
          // SNS encrypts each message EventBridge publishes with this key, on EventBridge's behalf.
          sid: 'EventBridgeRulesOfThisAccountPublish',
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': security } },
        }),
      ],
    }).key;
    this.topic = new sns.Topic(this, 'Findings', {
      topicName: `${app}-security-findings`,
      displayName: 'Innovate security findings',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addSubscription(new subscriptions.EmailSubscription(findings.alertEmail));
    if (findings.slack) {
      new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `${app}-security-findings`,
        slackWorkspaceId: findings.slack.workspaceId,
        slackChannelId: findings.slack.channelId,
        notificationTopics: [this.topic],
        // Chatbot only posts; nobody runs commands from the channel.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      });
    }

    // The management and log-archive accounts forward tamper events here with a role of theirs; only accounts of
    // this organization may put events on the bus.
    new events.CfnEventBusPolicy(this, 'OrganizationForwards', {
      eventBusName: 'default',
      statementId: 'OrganizationAccountsForwardSecurityEvents',
      statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: `arn:aws:events:${this.region}:${security}:event-bus/default`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': config.organization.foundations.organizationId } },
      },
    });

    const target = new targets.SnsTopic(this.topic);
    this.rules = Object.fromEntries(
      Object.entries(findingRoutes(logArchiveNames(config), accounts.management.id)).map(([ruleId, route]) => [
        ruleId,
        new events.Rule(this, ruleId, {
          description: `${route.description} (runbook: security-findings.md#${route.runbook})`,
          eventPattern: route.pattern,
          targets: [target],
        }),
      ]),
    );
  }
}
