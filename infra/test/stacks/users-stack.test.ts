/**
 * users: the Cognito user pool, the SPA's app client, the managed login and the two parameters of the contract with
 * the API and the SPA (issuer, client id), one requirement per describe.
 */
import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH } from '../../lib/constructs/user-pool-sign-in.ts';
import { ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { only, resources } from '../helpers/template-queries.ts';

const pool = (name: string) => only(templateOf(name, 'users'), 'AWS::Cognito::UserPool');
const client = (name: string) => only(templateOf(name, 'users'), 'AWS::Cognito::UserPoolClient').Properties;

describe('users: one user pool per environment, email sign-in, no self sign-up, retained', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const { Properties: props, DeletionPolicy } = pool(name);
    expect(props.UserPoolName).toBe(environment(name).names.userPoolName);
    expect(props.UsernameAttributes).toEqual(['email']);
    expect(props.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(props.DeletionProtection).toBe('ACTIVE');
    expect(DeletionPolicy).toBe('Retain');
    expect(props.AccountRecoverySetting.RecoveryMechanisms).toEqual([{ Name: 'verified_email', Priority: 1 }]);
  });
});

describe('users: MFA and threat protection as config says (prod: MFA required, TOTP only)', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const { auth } = environment(name);
    const props = pool(name).Properties;
    expect(props.MfaConfiguration).toBe(auth.mfa === 'required' ? 'ON' : 'OPTIONAL');
    expect(props.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    const mode = { off: undefined, audit: 'AUDIT', enforced: 'ENFORCED' }[auth.threatProtection];
    expect(props.UserPoolTier).toBe(mode ? 'PLUS' : 'ESSENTIALS');
    expect(props.UserPoolAddOns?.AdvancedSecurityMode).toBe(mode);
  });

  it('prod requires MFA and enforces threat protection', () => {
    expect(pool('prod').Properties.MfaConfiguration).toBe('ON');
    expect(pool('prod').Properties.UserPoolAddOns.AdvancedSecurityMode).toBe('ENFORCED');
  });
});

describe('users: password policy', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    expect(pool(name).Properties.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: MIN_PASSWORD_LENGTH,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
  });
});

describe('users: the SPA client is public, authorization code + PKCE, redirects only to the SPA host', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const { auth, dns } = environment(name);
    const props = client(name);
    expect(props.GenerateSecret).toBe(false);
    expect(props.AllowedOAuthFlows).toEqual(['code']);
    expect(props.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(props.AllowedOAuthScopes.sort()).toEqual(['email', 'openid']);
    expect(props.CallbackURLs).toEqual(auth.callbackPaths.map((path) => `https://${dns.appHost}${path}`));
    expect(props.LogoutURLs).toEqual(auth.logoutPaths.map((path) => `https://${dns.appHost}${path}`));
    expect(props.SupportedIdentityProviders).toEqual(['COGNITO']);
    // No password grant to the SPA's client: the only way to a token is the managed login.
    expect(props.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(props.PreventUserExistenceErrors).toBe('ENABLED');
    expect(props.EnableTokenRevocation).toBe(true);
  });
});

describe('users: token lifetimes from config', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const { auth } = environment(name);
    const props = client(name);
    expect(props.TokenValidityUnits).toEqual({ AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' });
    expect(props.AccessTokenValidity).toBe(auth.accessTokenMinutes);
    expect(props.IdTokenValidity).toBe(auth.idTokenMinutes);
    expect(props.RefreshTokenValidity).toBe(auth.refreshTokenDays * 24 * 60);
  });
});

describe('users: managed login on a Cognito domain, branded for the SPA client', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'users');
    const domain = only(template, 'AWS::Cognito::UserPoolDomain').Properties;
    expect(domain.Domain).toBe(environment(name).names.userPoolDomainPrefix);
    expect(domain.ManagedLoginVersion).toBe(2);
    expect(only(template, 'AWS::Cognito::ManagedLoginBranding').Properties.UseCognitoProvidedValues).toBe(true);
  });
});

describe('users: the issuer and client id parameters of the contract', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const { names, region } = environment(name);
    const parameters = Object.fromEntries(
      resources(templateOf(name, 'users'), 'AWS::SSM::Parameter').map(([, p]) => [p.Properties.Name, p.Properties]),
    );
    expect(Object.keys(parameters).sort()).toEqual(
      [names.authClientIdParameterName, names.authIssuerParameterName].sort(),
    );
    expect(names.authIssuerParameterName).toBe(`/innovate/${name}/auth/issuer`);
    expect(names.authClientIdParameterName).toBe(`/innovate/${name}/auth/client-id`);
    const issuer = parameters[names.authIssuerParameterName];
    expect(issuer.Type).toBe('String');
    expect(JSON.stringify(issuer.Value)).toContain(`https://cognito-idp.${region}.amazonaws.com/`);
    expect(JSON.stringify(issuer.Value)).toContain('SignInUserPool');
    expect(parameters[names.authClientIdParameterName].Value).toEqual({
      Ref: expect.stringMatching(/^SignInUserPoolSpaClient/),
    });
  });
});
