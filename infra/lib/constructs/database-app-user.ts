/**
 * A database login of the app's and its rotation: the user the API logs in as (ADR 0103), and the migrator the
 * migration Job logs in as (ADR 0129). The master user stays for the rotations themselves and the roles' bootstrap,
 * both Lambdas in AWS (ADR 0158).
 *
 * Rotation is Secrets Manager's alternating-users scheme: its first run clones `<user>` into `<user>_clone` (a
 * member of `<user>`, so it holds the same grants) and from then on each run sets a new password on the user the
 * secret does NOT name and switches the secret to it. The credentials a pod read before a rotation therefore stay
 * valid for a whole rotation period, which makes the External Secrets refresh interval and the kubelet's sync of
 * the mounted file harmless. (Single-user rotation changes the password the pods are using: every new connection
 * fails until the new secret reaches every pod.)
 *
 * The role itself is created by the data stack's roles bootstrap (database-roles-bootstrap.ts, the same code as
 * `innovate-api bootstrap-roles`) with this secret's first password; rotation owns the password from then on. The
 * rotation is made to wait for that bootstrap (`rotateAfter`), so the login exists before its first rotation.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IDependable } from 'constructs';

/** Days between two rotations of the application user's password. */
export const APP_USER_ROTATION_DAYS = 30;

export interface DatabaseAppUserProps {
  /** The instance the user logs in to; its master secret is the rotation's master (it sets the passwords). */
  instance: rds.DatabaseInstance;
  /** The PostgreSQL role name (config `names.databaseAppUsername`). */
  username: string;
  /** The application database (config `names.databaseName`): the rotation tests the new password there. */
  databaseName: string;
  /** Secrets Manager name of the user's secret (config `names.databaseAppSecretName`); External Secrets reads it. */
  secretName: string;
  /** The data stack's CMK, which also encrypts the master secret. */
  key: kms.IKey;
  /** The subnets the rotation function runs in (private-app: it needs the Secrets Manager endpoint). */
  rotationSubnets: ec2.SubnetSelection;
  /** The group the rotation function runs in (the database's rotation group: no all-egress rule). */
  rotationSecurityGroup: ec2.ISecurityGroup;
}

export class DatabaseAppUser extends Construct {
  /** The secret as created (its name, ARN and key); RETAIN, like the master secret. */
  readonly secret: rds.DatabaseSecret;
  /** The same secret with the instance's host, port, engine and database name added: what is rotated and read. */
  readonly attachedSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DatabaseAppUserProps) {
    super(scope, id);
    const master = props.instance.secret;
    if (master === undefined) throw new Error('DatabaseAppUser: the instance has no master secret to rotate with');

    // `masterSecret` adds the `masterarn` field the alternating-users rotation logs in with.
    this.secret = new rds.DatabaseSecret(this, 'Secret', {
      username: props.username,
      dbname: props.databaseName,
      secretName: props.secretName,
      encryptionKey: props.key,
      masterSecret: master,
    });
    this.secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.attachedSecret = this.secret.attach(props.instance);

    // Named after this construct (`AppUserRotation`, `MigratorUserRotation`): the instance holds one per login.
    props.instance.addRotationMultiUser(`${id}Rotation`, {
      secret: this.attachedSecret,
      automaticallyAfter: Duration.days(APP_USER_ROTATION_DAYS),
      vpcSubnets: props.rotationSubnets,
      securityGroup: props.rotationSecurityGroup,
      // The login exists before the schedule (`rotateAfter`), so an immediate rotation would succeed; it would also
      // run on every later change of the schedule, during a deploy, for nothing: the first rotation runs one period
      // after creation, like every other.
      rotateImmediatelyOnUpdate: false,
    });
  }

  /** The rotation schedule waits for `dependency` (the roles' bootstrap, which creates this login). */
  rotateAfter(dependency: IDependable): void {
    const schedules = this.attachedSecret.node
      .findAll()
      .filter((child): child is secretsmanager.RotationSchedule => child instanceof secretsmanager.RotationSchedule);
    if (schedules.length !== 1)
      throw new Error(`DatabaseAppUser: expected one rotation schedule, found ${schedules.length}`);
    schedules[0]?.node.addDependency(dependency);
  }
}
