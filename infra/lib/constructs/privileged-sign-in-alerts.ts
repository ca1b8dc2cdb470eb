/**
 * Pages on the sign-ins nobody should need: the account root signing in to the console, and any use of break-glass
 * (its IAM role assumed, switched to in the console, its Identity Center permission set taking a session, or, in the
 * management account, a break-glass user signing in). Each
 * is an EventBridge rule on the CloudTrail events of this account, publishing to the environment's alarm topic and,
 * where paging is on, its paging topic.
 *
 * CloudTrail delivers console sign-in events and calls to the global STS endpoint in us-east-1, so these rules live
 * in a us-east-1 stack (the workload stacks' region today; see docs/deployment.md for another region).
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { AlarmTopic } from './alarm-topic.ts';

export interface PrivilegedSignInAlertsProps {
  /** Where the alerts go: the alarm topic (e-mail), and the paging topic where paging is on (prod). */
  topics: AlarmTopic[];
  account: string;
  /** The member baseline's break-glass role (config `foundations.protectedRoles.breakGlassRoleName`). */
  breakGlassRoleName: string;
  /** Name of the break-glass permission set (its Identity Center role is `AWSReservedSSO_<name>_<hex>`). */
  breakGlassPermissionSetName: string;
  /**
   * Path of the break-glass IAM users (config `foundations.breakGlassUserPath`), in the account where they live (the
   * management account): their console sign-ins page too.
   */
  breakGlassUserPath?: string;
}

export class PrivilegedSignInAlerts extends Construct {
  readonly rootSignIn: events.Rule;
  readonly breakGlassUsed: events.Rule;

  constructor(scope: Construct, id: string, props: PrivilegedSignInAlertsProps) {
    super(scope, id);
    const { account } = props;
    const breakGlassRoleArn = `arn:aws:iam::${account}:role/${props.breakGlassRoleName}`;
    const ssoRoles = `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com`;
    const breakGlassSsoRoleArns = `${ssoRoles}/*AWSReservedSSO_${props.breakGlassPermissionSetName}_*`;
    for (const topic of props.topics) topic.allowEventBridge(account);
    const message = (what: string) =>
      events.RuleTargetInput.fromText(
        `${what} in account ${events.EventField.account} at ${events.EventField.time}: ` +
          `${events.EventField.fromPath('$.detail.eventName')} by ` +
          `${events.EventField.fromPath('$.detail.userIdentity.arn')} from ` +
          `${events.EventField.fromPath('$.detail.sourceIPAddress')}`,
      );
    const target = (what: string) =>
      props.topics.map((topic) => new targets.SnsTopic(topic.topic, { message: message(what) }));

    this.rootSignIn = new events.Rule(this, 'RootSignIn', {
      description: 'The account root signed in to the console (or tried to)',
      eventPattern: {
        source: ['aws.signin'],
        detailType: ['AWS Console Sign In via CloudTrail'],
        detail: { userIdentity: { type: ['Root'] } },
      },
      targets: target('ROOT SIGN-IN'),
    });

    this.breakGlassUsed = new events.Rule(this, 'BreakGlassUsed', {
      description:
        'Break-glass used: its role assumed or switched to, its permission set, or a break-glass user signed in',
      eventPattern: {
        source: ['aws.sts', 'aws.signin'],
        detail: {
          $or: [
            {
              eventName: ['AssumeRole', 'AssumeRoleWithSAML'],
              requestParameters: { roleArn: [breakGlassRoleArn, { wildcard: breakGlassSsoRoleArns }] },
            },
            { eventName: ['SwitchRole'], additionalEventData: { SwitchTo: [breakGlassRoleArn] } },
            ...(props.breakGlassUserPath
              ? [
                  {
                    eventName: ['ConsoleLogin'],
                    userIdentity: { arn: [{ prefix: `arn:aws:iam::${account}:user${props.breakGlassUserPath}` }] },
                  },
                ]
              : []),
          ],
        },
      },
      targets: target('BREAK-GLASS USED'),
    });
  }
}
