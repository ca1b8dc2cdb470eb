/**
 * First-deploy input of the API image: the sha256 of the RDS CA bundle, the API's database trust anchor. api/Dockerfile's
 * `ARG RDS_CA_BUNDLE_SHA256` is the one place it lives (`ADD --checksum` fails the build on any other content); its
 * committed default is an all-zeros placeholder until a person sets it from AWS's published bundle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/layout.ts';

export const API_DOCKERFILE = join(REPO_ROOT, 'api', 'Dockerfile');

/** One line per problem with the RDS CA bundle hash in the Dockerfile's text; empty when it is set. */
export function rdsCaBundleGaps(dockerfile: string): string[] {
  const url = /^ARG RDS_CA_BUNDLE_URL=(\S+)$/m.exec(dockerfile)?.[1] ?? '<RDS_CA_BUNDLE_URL>';
  const hash = /^ARG RDS_CA_BUNDLE_SHA256=(\S*)$/m.exec(dockerfile)?.[1];
  const where = `get it with \`curl -fsSL ${url} | sha256sum\` after checking the certificates it holds (docs/deployment.md "Before the first deploy")`;
  if (hash === undefined) return [`api/Dockerfile: ARG RDS_CA_BUNDLE_SHA256 is missing: ${where}`];
  if (!/^[0-9a-f]{64}$/.test(hash)) {
    return [`api/Dockerfile: ARG RDS_CA_BUNDLE_SHA256 is not a sha256 (64 lowercase hex digits): ${where}`];
  }
  if (/^0+$/.test(hash)) {
    return [
      `api/Dockerfile: ARG RDS_CA_BUNDLE_SHA256 is the all-zeros placeholder: every API image build fails; ${where}`,
    ];
  }
  return [];
}

export function loadDockerfile(): string {
  return readFileSync(API_DOCKERFILE, 'utf8');
}
