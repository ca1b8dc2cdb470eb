/**
 * users: who may sign in to the SPA and call the API. The Cognito user pool, the SPA's app client, the managed
 * login domain and the SSM parameters naming the issuer and the client id. Stateful (the users and their MFA
 * enrolments exist nowhere else), hence termination-protected, and the pool's logical id is pinned by tests.
 */
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { UserPoolSignIn } from '../constructs/user-pool-sign-in.ts';
import type { WorkloadStackProps } from '../workload-stack-props.ts';

export class UsersStack extends Stack {
  readonly signIn: UserPoolSignIn;

  constructor(scope: Construct, id: string, props: WorkloadStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const { auth, dns, names } = props.environment;
    this.signIn = new UserPoolSignIn(this, 'SignIn', {
      auth,
      appHost: dns.appHost,
      userPoolName: names.userPoolName,
      domainPrefix: names.userPoolDomainPrefix,
      issuerParameterName: names.authIssuerParameterName,
      clientIdParameterName: names.authClientIdParameterName,
    });
  }
}
