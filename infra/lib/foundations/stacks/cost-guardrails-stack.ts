/**
 * Cost guardrails (requirement COST-2), management account in us-east-1 (where Budgets and Cost Explorer live): one monthly
 * budget per account with alerts at 80 % and 100 % of actual spend and 100 % of forecast, and Cost Anomaly
 * Detection, all notifying one encrypted SNS topic (and the finance address for budgets); the security findings
 * address is subscribed to the topic, so an anomaly reaches a person who acts on it.
 *
 * Budget amounts come from `monthlyBudgetUsd` only (budget-amounts.ts), the seam the cost model will take over.
 */
import type { PlatformConfig } from '@innovate/config';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { CfnAnomalyMonitor, CfnAnomalySubscription } from 'aws-cdk-lib/aws-ce';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { AccountDirectory } from '../account-directory.ts';
import { monthlyBudgetUsd } from '../budget-amounts.ts';
import { FoundationsKey } from '../constructs/foundations-key.ts';

export interface CostGuardrailsStackProps extends StackProps {
  config: PlatformConfig;
  accounts: AccountDirectory;
}

/** The budget alerts (requirement COST-2): [notification type, threshold % of the budget]. */
export const BUDGET_ALERTS: ReadonlyArray<readonly ['ACTUAL' | 'FORECASTED', number]> = [
  ['ACTUAL', 80],
  ['ACTUAL', 100],
  ['FORECASTED', 100],
];

const NOTIFYING_SERVICES = ['budgets.amazonaws.com', 'costalerts.amazonaws.com'];

export class CostGuardrailsStack extends Stack {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: CostGuardrailsStackProps) {
    super(scope, id, props);
    const { config, accounts } = props;
    const app = config.organization.tags.app;
    const management = accounts.management.id;

    const key = new FoundationsKey(this, 'AlertsKey', {
      alias: `alias/${app}-cost-alerts`,
      description: 'Encrypts the cost alert topic',
      administeringAccount: management,
      uses: [
        new iam.PolicyStatement({
          sid: 'CostServicesPublishEncrypted',
          principals: NOTIFYING_SERVICES.map((service) => new iam.ServicePrincipal(service)),
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': management } },
        }),
      ],
    }).key;

    this.topic = new sns.Topic(this, 'CostAlerts', {
      topicName: `${app}-cost-alerts`,
      displayName: 'Innovate cost alerts (budgets, anomalies)',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CostServicesOfThisAccountPublish',
        principals: NOTIFYING_SERVICES.map((service) => new iam.ServicePrincipal(service)),
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': management } },
      }),
    );

    const alertEmail = config.organization.foundations.budgets.alertEmail;
    for (const account of accounts.all) {
      new CfnBudget(this, `Budget-${account.key}`, {
        budget: {
          budgetName: `${app}-${account.key}-monthly`,
          budgetType: 'COST',
          timeUnit: 'MONTHLY',
          budgetLimit: { amount: monthlyBudgetUsd(config, account.key), unit: 'USD' },
          filterExpression: { dimensions: { key: 'LINKED_ACCOUNT', values: [account.id] } },
        },
        notificationsWithSubscribers: BUDGET_ALERTS.map(([notificationType, threshold]) => ({
          notification: {
            notificationType,
            comparisonOperator: 'GREATER_THAN',
            threshold,
            thresholdType: 'PERCENTAGE',
          },
          subscribers: [
            { subscriptionType: 'SNS', address: this.topic.topicArn },
            { subscriptionType: 'EMAIL', address: alertEmail },
          ],
        })),
      });
    }

    const monitor = new CfnAnomalyMonitor(this, 'ServiceAnomalyMonitor', {
      monitorName: `${app}-services`,
      monitorType: 'DIMENSIONAL',
      monitorDimension: 'SERVICE',
    });
    const subscription = new CfnAnomalySubscription(this, 'AnomalyAlerts', {
      subscriptionName: `${app}-anomalies`,
      // SNS subscribers require immediate delivery.
      frequency: 'IMMEDIATE',
      monitorArnList: [monitor.attrMonitorArn],
      subscribers: [{ type: 'SNS', address: this.topic.topicArn }],
      thresholdExpression: JSON.stringify({
        Dimensions: {
          Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
          MatchOptions: ['GREATER_THAN_OR_EQUAL'],
          Values: [String(config.organization.foundations.anomalyThresholdUsd)],
        },
      }),
    });
    // Cost Anomaly Detection checks at creation that it may publish to the topic.
    subscription.node.addDependency(this.topic);
    // A cost anomaly can be the first sign of stolen credentials (crypto-mining): it reaches the people who act on
    // security findings, not only the finance address the budgets e-mail (runbook: security-findings.md).
    this.topic.addSubscription(
      new subscriptions.EmailSubscription(config.organization.foundations.securityFindings.alertEmail),
    );
  }
}
