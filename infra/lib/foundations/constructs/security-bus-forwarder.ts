/**
 * Sends matching events of this account's default bus to the security account's default bus (same region), where
 * the security findings stack routes them to a person. A role is required: the security bus admits the organization
 * (aws:PrincipalOrgID), not each account by id, and EventBridge then delivers only with a role of the sender.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface SecurityBusForwarderProps {
  /** ARN of the receiving default bus (security account, this region or the primary one). */
  securityBusArn: string;
  /** Each rule's name and pattern; one rule per kind of event keeps every pattern readable and testable. */
  rules: Record<string, { description: string; pattern: events.EventPattern }>;
}

export class SecurityBusForwarder extends Construct {
  readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: SecurityBusForwarderProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'Lets EventBridge rules of this account put matching events on the security account bus',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.securityBusArn] }));
    const bus = events.EventBus.fromEventBusArn(this, 'SecurityBus', props.securityBusArn);
    this.rules = Object.entries(props.rules).map(
      ([ruleId, { description, pattern }]) =>
        new events.Rule(this, ruleId, {
          description,
          eventPattern: pattern,
          targets: [new targets.EventBus(bus, { role })],
        }),
    );
  }
}

/** The security account's default bus in a region. */
export function securityBusArn(region: string, securityAccount: string): string {
  return `arn:aws:events:${region}:${securityAccount}:event-bus/default`;
}
