/**
 * Sign-in of the SPA's users: an Amazon Cognito user pool (email as the user name, no self sign-up, TOTP MFA as
 * config says, threat protection as config allows), one public app client for the SPA (authorization code with
 * PKCE, no secret, redirects only to the environment's SPA host), the managed login on a Cognito domain, and the
 * two SSM parameters through which the API (External Secrets) and the SPA publish job find the issuer and the client
 * id. The pool holds the users: it is retained and deletion-protected, and its logical id is pinned by tests.
 */
import type { AuthConfig } from '@innovate/config';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/** Minimum password length: NIST SP 800-63B's floor for passwords chosen by the user, with MFA beside it. */
export const MIN_PASSWORD_LENGTH = 12;
/** OAuth scopes the SPA asks for; `openid` and `email` only, the API authorizes by the token's `sub`. */
export const SPA_SCOPES = [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL];

const THREAT_PROTECTION: Record<AuthConfig['threatProtection'], cognito.StandardThreatProtectionMode> = {
  off: cognito.StandardThreatProtectionMode.NO_ENFORCEMENT,
  audit: cognito.StandardThreatProtectionMode.AUDIT_ONLY,
  enforced: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
};

export interface UserPoolSignInProps {
  /** The environment's `auth` block (MFA, threat protection, token lifetimes, redirect paths). */
  auth: AuthConfig;
  /** Host name the SPA is served from (`dns.appHost`): every redirect URI is `https://<appHost><path>`. */
  appHost: string;
  /** Names from config: pool, domain prefix, and the two parameters of the issuer and client id. */
  userPoolName: string;
  domainPrefix: string;
  issuerParameterName: string;
  clientIdParameterName: string;
}

export class UserPoolSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`: the `iss` of every token of the pool. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: UserPoolSignInProps) {
    super(scope, id);
    const { auth } = props;
    // Threat protection (audit or enforced) exists only on the Plus plan; without it Essentials is enough.
    const plus = auth.threatProtection !== 'off';

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // Accounts are created by an administrator; nobody can register themselves.
      selfSignUpEnabled: false,
      mfa: auth.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      // TOTP only: SMS codes can be intercepted (SIM swap) and need an SMS role and budget.
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: MIN_PASSWORD_LENGTH,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: plus ? 5 : undefined,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: THREAT_PROTECTION[auth.threatProtection] } : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const origin = `https://${props.appHost}`;
    this.client = this.userPool.addClient('SpaClient', {
      userPoolClientName: 'spa',
      // A browser cannot keep a secret: a public client, authorization code with PKCE only.
      generateSecret: false,
      authFlows: { user: false, userPassword: false, userSrp: false, adminUserPassword: false, custom: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: SPA_SCOPES,
        callbackUrls: auth.callbackPaths.map((path) => `${origin}${path}`),
        logoutUrls: auth.logoutPaths.map((path) => `${origin}${path}`),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: Duration.minutes(auth.accessTokenMinutes),
      idTokenValidity: Duration.minutes(auth.idTokenMinutes),
      refreshTokenValidity: Duration.days(auth.refreshTokenDays),
      enableTokenRevocation: true,
      // "User does not exist" and "wrong password" answer the same, so the login cannot enumerate accounts.
      preventUserExistenceErrors: true,
    });

    this.domain = this.userPool.addDomain('ManagedLogin', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // The newer managed login shows pages only for clients with a branding style; Cognito's defaults suffice.
    new cognito.CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    const { region } = Stack.of(this);
    this.issuer = `https://cognito-idp.${region}.amazonaws.com/${this.userPool.userPoolId}`;
    new ssm.StringParameter(this, 'IssuerParameter', {
      parameterName: props.issuerParameterName,
      description: 'OIDC issuer of the SPA users (the iss claim the API requires)',
      stringValue: this.issuer,
    });
    new ssm.StringParameter(this, 'ClientIdParameter', {
      parameterName: props.clientIdParameterName,
      description: 'App client id of the SPA (the client_id claim the API requires)',
      stringValue: this.client.userPoolClientId,
    });
  }
}
