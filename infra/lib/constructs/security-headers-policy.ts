/**
 * The CloudFront response headers policy, built from the single definition of the security headers in
 * `@innovate/config/security-headers` that the local edge also serves (requirement EDGE-4). Nothing here restates a value.
 */
import type { SecurityHeaders } from '@innovate/config/security-headers';
import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

const FRAME_OPTIONS: Record<SecurityHeaders['frameOptions'], cloudfront.HeadersFrameOption> = {
  DENY: cloudfront.HeadersFrameOption.DENY,
  SAMEORIGIN: cloudfront.HeadersFrameOption.SAMEORIGIN,
};

const REFERRER_POLICIES: Record<SecurityHeaders['referrerPolicy'], cloudfront.HeadersReferrerPolicy> = {
  'no-referrer': cloudfront.HeadersReferrerPolicy.NO_REFERRER,
  'same-origin': cloudfront.HeadersReferrerPolicy.SAME_ORIGIN,
  'strict-origin': cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN,
  'strict-origin-when-cross-origin': cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
};

export interface SecurityHeadersPolicyProps {
  /** Policy name (unique per account). */
  name: string;
  /** The headers: the stack passes config's one definition (with the environment's sign-in origins added). */
  headers: SecurityHeaders;
}

export class SecurityHeadersPolicy extends Construct {
  readonly policy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: SecurityHeadersPolicyProps) {
    super(scope, id);
    const { headers } = props;
    const hsts = headers.strictTransportSecurity;
    this.policy = new cloudfront.ResponseHeadersPolicy(this, 'Policy', {
      responseHeadersPolicyName: props.name,
      comment: 'Security headers from @innovate/config/security-headers (same as the local edge)',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: headers.contentSecurityPolicy, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(hsts.maxAgeSeconds),
          includeSubdomains: hsts.includeSubdomains,
          preload: hsts.preload,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: FRAME_OPTIONS[headers.frameOptions], override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICIES[headers.referrerPolicy], override: true },
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(headers.custom).map(([header, value]) => ({ header, value, override: true })),
      },
    });
  }
}
