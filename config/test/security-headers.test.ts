import { describe, expect, it } from 'vitest';
import { securityHeaders, toHttpHeaders, withConnectSources } from '../src/security-headers.ts';

describe('security headers', () => {
  const headers = toHttpHeaders();

  it('renders HSTS from its parts', () => {
    expect(headers['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains; preload');
    const noPreload = toHttpHeaders({
      ...securityHeaders,
      strictTransportSecurity: { maxAgeSeconds: 60, includeSubdomains: false, preload: false },
    });
    expect(noPreload['Strict-Transport-Security']).toBe('max-age=60');
  });

  it('forbids framing and inline script', () => {
    expect(headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(headers['Content-Security-Policy']).toMatch(/script-src 'self'(;|$)/);
    expect(headers['X-Frame-Options']).toBe('DENY');
  });

  it('includes the custom headers', () => {
    expect(headers['Permissions-Policy']).toContain('camera=()');
  });
});

describe('withConnectSources', () => {
  it('adds the origins to connect-src only', () => {
    const csp = withConnectSources(securityHeaders, [
      'https://cognito-idp.us-east-1.amazonaws.com',
    ]).contentSecurityPolicy;
    expect(csp).toContain("connect-src 'self' https://cognito-idp.us-east-1.amazonaws.com;");
    expect(csp.replace(' https://cognito-idp.us-east-1.amazonaws.com', '')).toBe(securityHeaders.contentSecurityPolicy);
  });

  it.each(['https://evil.example/path', "https://a.example 'unsafe-inline'", '*'])('refuses %s', (origin) => {
    expect(() => withConnectSources(securityHeaders, [origin])).toThrow(/connect-src: not an origin/);
  });
});
