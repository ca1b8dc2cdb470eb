/**
 * edge: the SPA bucket, CloudFront (OAC to S3, `/api/*` to the ALB origin host), the CloudFront WAF, the viewer
 * certificate and the DNS records (requirement EDGE-1). Always in us-east-1, where CloudFront's certificate and WAF must live.
 * Holds the SPA and log buckets, so it is termination-protected and their logical ids are pinned by tests.
 */

import { CACHE_RULES } from '@innovate/config/cache-rules';
import { securityHeaders, withConnectSources } from '@innovate/config/security-headers';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { EdgeWebAcl } from '../constructs/edge-web-acl.ts';
import { LogsKey } from '../constructs/logs-key.ts';
import type { OriginVerifySecret } from '../constructs/origin-verify-secret.ts';
import { SecurityHeadersPolicy } from '../constructs/security-headers-policy.ts';
import { SpaFallbackFunction } from '../constructs/spa-fallback-function.ts';
import { spaCachePolicies } from '../edge-cache-policies.ts';
import type { WorkloadStackProps } from '../workload-stack-props.ts';

/** The origins the SPA talks to when it signs in: the issuer (discovery, JWKS) and the managed login (token). */
export function signInOrigins(env: WorkloadStackProps['environment']): string[] {
  return [
    `https://cognito-idp.${env.region}.amazonaws.com`,
    `https://${env.names.userPoolDomainPrefix}.auth.${env.region}.amazoncognito.com`,
  ];
}

/** CloudFront's certificates and CLOUDFRONT-scope web ACLs exist only here. */
export const CLOUDFRONT_REGION = 'us-east-1';

export interface EdgeStackProps extends WorkloadStackProps {
  hostedZone: route53.IHostedZone;
  originVerify: OriginVerifySecret;
}

export class EdgeStack extends Stack {
  readonly bucket: s3.Bucket;
  /** Encrypts the SPA bucket (SSE-KMS); the publish role and this distribution alone use it. */
  readonly spaKey: kms.Key;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const env = props.environment;
    const { names, dns } = env;
    const retentionDays = env.observability.logRetentionDays;

    const logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // CloudFront standard logs are delivered with an ACL grant, which needs ACLs enabled on the bucket.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(retentionDays), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const spaKeyAlias = `alias/${names.prefix}-spa`;
    this.bucket = new s3.Bucket(this, 'SpaBucket', {
      bucketName: names.spaBucketName,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Replaced below by SSE-KMS with the SPA key, named by alias.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 's3/spa/',
      // Old builds stay restorable for a while (rollback = re-point index.html), then go.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The key policy names this distribution (CloudFront decrypts for it alone), and the distribution needs the
    // bucket: so the bucket names the key by its alias ARN, not by a reference, or the three would form a cycle. S3
    // resolves the alias when an object is written (by CI, after this stack exists).
    this.spaKey = new kms.Key(this, 'SpaKey', {
      alias: spaKeyAlias,
      description: `Innovate ${env.name}: the SPA bucket's objects`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.bucket.node.defaultChild as s3.CfnBucket).bucketEncryption = {
      serverSideEncryptionConfiguration: [
        {
          serverSideEncryptionByDefault: {
            sseAlgorithm: 'aws:kms',
            kmsMasterKeyId: this.formatArn({ service: 'kms', resource: spaKeyAlias }),
          },
          bucketKeyEnabled: true,
        },
      ],
    };

    const certificate = new acm.Certificate(this, 'ViewerCertificate', {
      domainName: dns.appHost,
      subjectAlternativeNames: [dns.apiHost],
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });

    const logsKey = new LogsKey(this, 'WafLogsKey', { purpose: 'CloudFront WAF logs' }).key;
    const webAcl = new EdgeWebAcl(this, 'WebAcl', {
      name: `${names.prefix}-edge`,
      logsKey,
      logRetentionDays: retentionDays,
    });

    // The SPA signs in against the environment's user pool: it fetches the issuer's discovery document and keys and
    // exchanges the code at the managed-login domain, both by names config fixes (no cross-stack reference).
    const headers = new SecurityHeadersPolicy(this, 'SecurityHeaders', {
      name: `${names.prefix}-security-headers`,
      headers: withConnectSources(securityHeaders, signInOrigins(env)),
    });
    const spaFallback = new SpaFallbackFunction(this, 'SpaFallback', { name: `${names.prefix}-spa-fallback` });
    const s3Origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const apiOrigin = new origins.HttpOrigin(dns.originHost, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [names.originVerifyHeader]: props.originVerify.dynamicReference },
      readTimeout: Duration.seconds(30),
    });

    // index.html and client routes: always revalidated, so a deploy is visible at once. Hashed assets: cached for a
    // year (their names change with their content). Policies and the assets' path from config's cache rules.
    const cachePolicies = spaCachePolicies(CACHE_RULES);
    const spaBehaviour = {
      origin: s3Origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: headers.policy,
      compress: true,
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Innovate ${env.name}: SPA and /api/*`,
      domainNames: [dns.appHost, dns.apiHost],
      certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultRootObject: 'index.html',
      webAclId: webAcl.webAcl.attrArn,
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        ...spaBehaviour,
        cachePolicy: cachePolicies.defaultPolicy,
        functionAssociations: [
          { function: spaFallback.function, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        [cachePolicies.hashedAssets.pathPattern]: { ...spaBehaviour, cachePolicy: cachePolicies.hashedAssets.policy },
        '/api/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Every viewer header, cookie and query string except Host (the ALB's certificate is for the origin host).
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers.policy,
          compress: true,
        },
      },
    });

    this.spaKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontDecryptsForThisDistributionOnly',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'AWS:SourceArn': this.formatArn({
              service: 'cloudfront',
              region: '',
              resource: 'distribution',
              resourceName: this.distribution.distributionId,
            }),
          },
        },
      }),
    );

    // The id AWS gives the distribution, where CI can read it by a name config fixes (spa-publish.yml).
    new ssm.StringParameter(this, 'DistributionIdParameter', {
      parameterName: names.spaDistributionIdParameterName,
      description: `CloudFront distribution of ${dns.appHost}; the SPA publish workflow invalidates index.html on it`,
      stringValue: this.distribution.distributionId,
    });

    for (const host of [dns.appHost, dns.apiHost]) {
      const target = route53.RecordTarget.fromAlias(new route53Targets.CloudFrontTarget(this.distribution));
      const recordName = host;
      new route53.ARecord(this, `Alias-${host}`, { zone: props.hostedZone, recordName, target });
      new route53.AaaaRecord(this, `AliasV6-${host}`, { zone: props.hostedZone, recordName, target });
    }
  }
}
