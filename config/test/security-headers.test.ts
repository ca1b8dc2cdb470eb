import { describe, expect, it } from 'vitest';
import { securityHeaders, toHttpHeaders } from '../src/security-headers.ts';

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
