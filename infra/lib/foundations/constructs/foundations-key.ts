/**
 * The customer-managed key every foundations resource encrypts with: rotation on, retained on stack deletion, and a
 * policy that starts with the owning account's administration (no use: each use is granted by condition, in the
 * statements the caller passes).
 *
 * `protectFromDeletion` is for keys whose loss makes retained data unreadable (the log archive): the key policy then
 * denies disabling the key and scheduling its deletion to every principal but the break-glass role, so neither an
 * administrator of the owning account nor anyone arriving through the management account's access role can destroy
 * Object-Locked logs by destroying their key.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyAdministration } from '../key-administration.ts';

export const KEY_DESTRUCTION_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey'];
export const PROTECT_KEY_SID = 'NobodyButBreakGlassDisablesOrDeletesKey';

export interface FoundationsKeyProps {
  /** `alias/...` of the key. */
  alias: string;
  /** What the key encrypts (shown in the console). */
  description: string;
  /** The account that administers the key: the account the stack deploys to. */
  administeringAccount: string;
  /** Who may use the key, and under which conditions. */
  uses: iam.PolicyStatement[];
  /** Deny disabling and scheduling deletion to all but this role name (the break-glass role of the account). */
  protectFromDeletion?: { breakGlassRoleName: string };
}

export class FoundationsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: FoundationsKeyProps) {
    super(scope, id);
    const statements = [keyAdministration(props.administeringAccount), ...props.uses];
    if (props.protectFromDeletion) {
      const breakGlass = `arn:aws:iam::${props.administeringAccount}:role/${props.protectFromDeletion.breakGlassRoleName}`;
      statements.push(
        new iam.PolicyStatement({
          sid: PROTECT_KEY_SID,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: KEY_DESTRUCTION_ACTIONS,
          resources: ['*'],
          conditions: { ArnNotEquals: { 'aws:PrincipalArn': breakGlass } },
        }),
      );
    }
    this.key = new kms.Key(this, 'Resource', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({ statements }),
    });
  }
}
