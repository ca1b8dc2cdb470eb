/**
 * The security response headers of the SPA and the API, defined once.
 *
 * The CloudFront response headers policy (infra edge stack) and the local edge (`make up`) both read this, so what a
 * developer sees locally is what users get. The shape follows CloudFront's `SecurityHeadersBehavior` so the CDK side
 * maps it field by field; `toHttpHeaders` renders the same values as plain HTTP headers for the local edge.
 */

export interface SecurityHeaders {
  contentSecurityPolicy: string;
  strictTransportSecurity: { maxAgeSeconds: number; includeSubdomains: boolean; preload: boolean };
  contentTypeOptions: 'nosniff';
  frameOptions: 'DENY' | 'SAMEORIGIN';
  referrerPolicy: 'no-referrer' | 'same-origin' | 'strict-origin' | 'strict-origin-when-cross-origin';
  /** Headers CloudFront has no dedicated field for; they go into the policy's custom headers. */
  custom: Readonly<Record<string, string>>;
}

/**
 * CSP for a same-origin SPA: the API is reached under `/api/*` on the same host, so `connect-src 'self'` suffices and
 * nothing inline is allowed. `frame-ancestors 'none'` is the modern form of X-Frame-Options: DENY (both are sent for
 * old browsers).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: SecurityHeaders = {
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  // Two years with preload: the value hstspreload.org requires. Browsers ignore HSTS over plain http (local edge).
  strictTransportSecurity: { maxAgeSeconds: 63_072_000, includeSubdomains: true, preload: true },
  contentTypeOptions: 'nosniff',
  frameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  custom: {
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  },
};

/**
 * The headers with more origins the SPA may fetch from (`connect-src`): the sign-in provider's discovery document,
 * keys and token endpoint live on other origins than the SPA's own.
 */
export function withConnectSources(headers: SecurityHeaders, origins: readonly string[]): SecurityHeaders {
  for (const origin of origins) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d+)?$/.test(origin)) throw new Error(`connect-src: not an origin: ${origin}`);
  }
  const csp = headers.contentSecurityPolicy.replace(/connect-src 'self'/, `connect-src 'self' ${origins.join(' ')}`);
  return { ...headers, contentSecurityPolicy: csp };
}

/** The headers as a browser receives them. */
export function toHttpHeaders(headers: SecurityHeaders = securityHeaders): Record<string, string> {
  const hsts = headers.strictTransportSecurity;
  return {
    'Content-Security-Policy': headers.contentSecurityPolicy,
    'Strict-Transport-Security': [
      `max-age=${hsts.maxAgeSeconds}`,
      ...(hsts.includeSubdomains ? ['includeSubDomains'] : []),
      ...(hsts.preload ? ['preload'] : []),
    ].join('; '),
    'X-Content-Type-Options': headers.contentTypeOptions,
    'X-Frame-Options': headers.frameOptions,
    'Referrer-Policy': headers.referrerPolicy,
    ...headers.custom,
  };
}
