import { CACHE_RULES, HASHED_ASSETS_PREFIX } from '@innovate/config/cache-rules';
import { securityHeaders, withConnectSources } from '@innovate/config/security-headers';
import { Match } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { describe, expect, it } from 'vitest';
import { MANAGED_RULE_GROUPS, RATE_LIMIT_PER_5_MINUTES } from '../../lib/constructs/edge-web-acl.ts';
import { cachePolicyFor, spaCachePolicies } from '../../lib/edge-cache-policies.ts';
import { signInOrigins } from '../../lib/stacks/edge-stack.ts';
import { ENVIRONMENTS, environment, stacksOf, templateOf } from '../helpers/environment-stacks.ts';
import { only, type Resource, resources } from '../helpers/template-queries.ts';

const distribution = (name: string) =>
  only(templateOf(name, 'edge'), 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
const spaBucketId = 'SpaBucket48E1059F';

describe('edge: CloudFront, its certificate and WAF live in us-east-1', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    expect(stacksOf(name).edge.region).toBe('us-east-1');
  });
});

describe('edge: the distribution id, where the SPA publish workflow reads it', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const distributionId = Object.keys(templateOf(name, 'edge').findResources('AWS::CloudFront::Distribution'));
    templateOf(name, 'edge').hasResourceProperties('AWS::SSM::Parameter', {
      Name: environment(name).names.spaDistributionIdParameterName,
      Type: 'String',
      Value: { Ref: distributionId[0] },
    });
  });
});

describe('edge: private SPA bucket (block public access, TLS only, versioned)', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'edge');
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: environment(name).names.spaBucketName,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: spaBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('edge: the SPA bucket is SSE-KMS with a key CloudFront uses for this distribution only', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'edge');
    const env = environment(name);
    const alias = `alias/${env.names.prefix}-spa`;
    const bucket = resources(template, 'AWS::S3::Bucket').find(([id]) => id === spaBucketId)?.[1] as Resource;
    const [encryption] = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration;
    expect(encryption.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(JSON.stringify(encryption.ServerSideEncryptionByDefault.KMSMasterKeyID)).toContain(`:${alias}`);
    expect(encryption.BucketKeyEnabled).toBe(true);
    // The alias names a key of this stack, whose policy lets CloudFront decrypt for this distribution alone.
    const [aliasEntry] = resources(template, 'AWS::KMS::Alias').filter(([, a]) => a.Properties.AliasName === alias);
    const keyId = aliasEntry?.[1].Properties.TargetKeyId['Fn::GetAtt'][0];
    const key = resources(template, 'AWS::KMS::Key').find(([id]) => id === keyId)?.[1] as Resource;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const cloudFront = key.Properties.KeyPolicy.Statement.filter(
      (statement: { Principal?: { Service?: string } }) => statement.Principal?.Service === 'cloudfront.amazonaws.com',
    );
    expect(cloudFront).toHaveLength(1);
    expect(cloudFront[0].Action).toBe('kms:Decrypt');
    const [distributionId] = resources(template, 'AWS::CloudFront::Distribution').map(([id]) => id);
    expect(JSON.stringify(cloudFront[0].Condition.StringEquals['AWS:SourceArn'])).toContain(
      JSON.stringify({ Ref: distributionId }),
    );
    expect(JSON.stringify(cloudFront[0].Condition)).not.toContain('distribution/*');
  });
});

describe('edge: Origin Access Control on the bucket origin', () => {
  it.each(ENVIRONMENTS)('%s: the S3 origin signs with OAC and the bucket admits only this distribution', (name) => {
    const template = templateOf(name, 'edge');
    only(template, 'AWS::CloudFront::OriginAccessControl');
    const s3Origin = distribution(name).Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'],
    });
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: spaBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe('edge: behaviours (hashed assets cached long, index.html not cached, SPA fallback, /api/* to the ALB)', () => {
  const config = distribution('prod');
  const byPath = Object.fromEntries(config.CacheBehaviors.map((b: { PathPattern: string }) => [b.PathPattern, b]));

  it('default → S3 without caching, with the SPA fallback function on viewer request', () => {
    expect(config.DefaultCacheBehavior.CachePolicyId).toBe(cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      {
        EventType: 'viewer-request',
        FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^SpaFallback/), 'FunctionARN'] },
      },
    ]);
    expect(config.DefaultRootObject).toBe('index.html');
  });

  it('/assets/* → S3 with the caching-optimized (long TTL) policy', () => {
    expect(byPath['/assets/*'].CachePolicyId).toBe(cloudfront.CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
    expect(byPath['/assets/*'].TargetOriginId).toBe(config.DefaultCacheBehavior.TargetOriginId);
  });

  it('the SPA behaviours follow config’s cache rules (assets’ folder, a year at most, nothing for unhashed files)', () => {
    expect(`${HASHED_ASSETS_PREFIX}*`).toBe('/assets/*');
    expect(CACHE_RULES.hashedAssets.sharedCacheSeconds).toBe(365 * 24 * 3600);
    expect([CACHE_RULES.entryDocument, CACHE_RULES.otherFiles].map((r) => r.sharedCacheSeconds)).toEqual([0, 0]);
    const spaPaths = config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern).filter(
      (p: string) => p !== '/api/*',
    );
    expect(spaPaths).toEqual([`${HASHED_ASSETS_PREFIX}*`]);
  });

  it('a cache rule CloudFront cannot meet fails synth, naming the rule', () => {
    const tooLong = { ...CACHE_RULES.hashedAssets, sharedCacheSeconds: 2 * 365 * 24 * 3600 };
    expect(() => cachePolicyFor('hashedAssets', tooLong)).toThrow(/^cache rule hashedAssets\.sharedCacheSeconds: /);
    const cachedOthers = { ...CACHE_RULES, otherFiles: { cacheControl: 'max-age=60', sharedCacheSeconds: 60 } };
    expect(() => spaCachePolicies(cachedOthers)).toThrow(/^cache rule otherFiles\.sharedCacheSeconds: /);
  });

  it('/api/* → the origin host over HTTPS only, no caching, all viewer headers/cookies/query except Host', () => {
    const api = byPath['/api/*'];
    expect(api.CachePolicyId).toBe(cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId);
    expect(api.OriginRequestPolicyId).toBe(
      cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    );
    expect(api.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']);
    const origin = config.Origins.find((o: { Id: string }) => o.Id === api.TargetOriginId);
    expect(origin.DomainName).toBe(environment('prod').dns.originHost);
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it('/api/* sends the origin-verify header from Secrets Manager (never a literal)', () => {
    const names = environment('prod').names;
    const origin = config.Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
    expect(origin.OriginCustomHeaders).toEqual([
      {
        HeaderName: names.originVerifyHeader,
        HeaderValue: `{{resolve:secretsmanager:${names.originVerifySecretName}:SecretString}}`,
      },
    ]);
  });

  it('the SPA fallback leaves files alone and rewrites client routes', async () => {
    const { SPA_FALLBACK_CODE } = await import('../../lib/constructs/spa-fallback-function.ts');
    const handler = new Function(`${SPA_FALLBACK_CODE}; return handler;`)() as (e: unknown) => { uri: string };
    expect(handler({ request: { uri: '/tasks/42' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/assets/app.3f2a.js' } }).uri).toBe('/assets/app.3f2a.js');
    expect(handler({ request: { uri: '/' } }).uri).toBe('/index.html');
  });
});

describe('edge: the SPA may fetch from the sign-in origins and nowhere else beyond its own', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const csp = only(templateOf(name, 'edge'), 'AWS::CloudFront::ResponseHeadersPolicy').Properties
      .ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as string;
    const { region, names } = environment(name);
    expect(/connect-src ([^;]*)/.exec(csp)?.[1]).toBe(
      `'self' https://cognito-idp.${region}.amazonaws.com https://${names.userPoolDomainPrefix}.auth.${region}.amazoncognito.com`,
    );
  });
});

describe('edge: response headers policy built from the single security-headers definition', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const policy = only(templateOf(name, 'edge'), 'AWS::CloudFront::ResponseHeadersPolicy').Properties
      .ResponseHeadersPolicyConfig;
    const hsts = securityHeaders.strictTransportSecurity;
    expect(policy.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: {
        ContentSecurityPolicy: withConnectSources(securityHeaders, signInOrigins(environment(name)))
          .contentSecurityPolicy,
        Override: true,
      },
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: hsts.maxAgeSeconds,
        IncludeSubdomains: hsts.includeSubdomains,
        Preload: hsts.preload,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: securityHeaders.frameOptions, Override: true },
      ReferrerPolicy: { ReferrerPolicy: securityHeaders.referrerPolicy, Override: true },
    });
    expect(policy.CustomHeadersConfig.Items).toEqual(
      Object.entries(securityHeaders.custom).map(([Header, Value]) => ({ Header, Value, Override: true })),
    );
    const config = distribution(name);
    for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: expect.stringMatching(/^SecurityHeadersPolicy/) });
    }
  });
});

describe('edge: WAF (CLOUDFRONT scope) with managed rule groups and a rate rule, associated and logged', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'edge');
    const [aclId, acl] = resources(template, 'AWS::WAFv2::WebACL')[0] as [string, Resource];
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    type Rule = { Statement: Record<string, unknown>; Action?: unknown };
    const rules = acl.Properties.Rules as Rule[];
    const groups = rules
      .filter((r) => r.Statement.ManagedRuleGroupStatement)
      .map((r) => r.Statement.ManagedRuleGroupStatement);
    expect(groups).toEqual(MANAGED_RULE_GROUPS.map((Name) => ({ VendorName: 'AWS', Name })));
    const rate = rules.find((r) => r.Statement.RateBasedStatement) as Rule;
    expect(rate.Statement.RateBasedStatement).toEqual({ Limit: RATE_LIMIT_PER_5_MINUTES, AggregateKeyType: 'IP' });
    expect(rate.Action).toEqual({ Block: {} });
    expect(distribution(name).WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-') });
  });
});

describe('edge: viewer TLS 1.2 minimum, DNS-validated certificate, Route 53 aliases', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'edge');
    const dns = environment(name).dns;
    const config = distribution(name);
    expect(config.ViewerCertificate).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(config.Aliases).toEqual([dns.appHost, dns.apiHost]);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: dns.appHost,
      SubjectAlternativeNames: [dns.apiHost],
      ValidationMethod: 'DNS',
    });
    for (const type of ['A', 'AAAA']) {
      const records = resources(template, 'AWS::Route53::RecordSet').filter(([, r]) => r.Properties.Type === type);
      expect(records.map(([, r]) => r.Properties.Name).sort()).toEqual([`${dns.apiHost}.`, `${dns.appHost}.`]);
    }
  });
});
