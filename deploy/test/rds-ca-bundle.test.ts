import { describe, expect, it } from 'vitest';
import { loadDockerfile, rdsCaBundleGaps } from '../checks/ready/rds-ca-bundle.ts';

const URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';
const dockerfile = (hash: string | undefined) =>
  [
    'FROM python:3.11-slim',
    `ARG RDS_CA_BUNDLE_URL=${URL}`,
    ...(hash === undefined ? [] : [`ARG RDS_CA_BUNDLE_SHA256=${hash}`]),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable, not a template
    'ADD --checksum=sha256:${RDS_CA_BUNDLE_SHA256} ${RDS_CA_BUNDLE_URL} /etc/ssl/rds/global-bundle.pem',
  ].join('\n');

describe('check-deploy-ready: the RDS CA bundle hash is a first-deploy input', () => {
  it('refuses the all-zeros placeholder, saying where the value comes from', () => {
    const [gap, ...rest] = rdsCaBundleGaps(dockerfile('0'.repeat(64)));
    expect(rest).toEqual([]);
    expect(gap).toMatch(/^api\/Dockerfile: ARG RDS_CA_BUNDLE_SHA256 is the all-zeros placeholder/);
    expect(gap).toContain(`curl -fsSL ${URL} | sha256sum`);
    expect(gap).toContain('docs/deployment.md "Before the first deploy"');
  });

  it.each([
    ['missing', undefined, /is missing/],
    ['not hex', 'not-a-hash', /is not a sha256/],
    ['too short', 'ab'.repeat(31), /is not a sha256/],
  ])('refuses a hash that is %s', (_case, hash, message) => {
    expect(rdsCaBundleGaps(dockerfile(hash))).toEqual([expect.stringMatching(message)]);
  });

  it('accepts a real sha256', () => {
    expect(rdsCaBundleGaps(dockerfile('ab'.repeat(32)))).toEqual([]);
  });

  it("reads the committed Dockerfile's ARG lines (the check sees the value the build uses)", () => {
    const text = loadDockerfile();
    expect(text).toMatch(/^ARG RDS_CA_BUNDLE_SHA256=/m);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile variable, not a template
    expect(text).toContain('--checksum=sha256:${RDS_CA_BUNDLE_SHA256}');
  });
});
