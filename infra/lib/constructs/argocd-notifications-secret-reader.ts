/**
 * The role External Secrets assumes for the `argocd` namespace's ClusterSecretStore (deploy/src/charts/platform.ts):
 * it reads the GitHub dispatch token Argo CD's notifications controller reports drift with, and nothing else.
 * External Secrets' own Pod Identity role is denied that secret (workload-identities.ts), so the shared store the API
 * and observability namespaces use can never hand a GitHub write token to them.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ArgoCdNotificationsSecretReaderProps {
  /** Role name (config `names.argocdNotificationsSecretReaderRoleName`); the render names it in the store. */
  roleName: string;
  /** External Secrets' Pod Identity role: the only principal trusted to assume this one. */
  externalSecretsRole: iam.IRole;
  /** ARN of the token secret (Secrets Manager appends `-??????` to the name). */
  secretArnPattern: string;
  /** The secret's CMK (observability stack). */
  keyArn: string;
  /** The environment's region, for `kms:ViaService`. */
  region: string;
}

export class ArgoCdNotificationsSecretReader extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ArgoCdNotificationsSecretReaderProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'External Secrets, argocd namespace store: the GitHub dispatch token only',
      assumedBy: new iam.ArnPrincipal(props.externalSecretsRole.roleArn),
    });
    // Pod Identity session tags are transitive: a chained AssumeRole carries them, so the trust must allow tagging.
    this.role.assumeRolePolicy?.addStatements(
      new iam.PolicyStatement({
        actions: ['sts:TagSession'],
        principals: [new iam.ArnPrincipal(props.externalSecretsRole.roleArn)],
      }),
    );
    new iam.Policy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadTheDispatchTokenOnly',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [props.secretArnPattern],
        }),
        new iam.PolicyStatement({
          sid: 'DecryptItThroughSecretsManagerOnly',
          actions: ['kms:Decrypt'],
          resources: [props.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
        }),
      ],
    });
  }
}
