/**
 * `deploy/signature-trust.yaml`: the two public inputs of image signature verification that cannot be fetched from
 * here (ADR 0066) — AWS Signer's Notation root certificate and the digest of the AWS Signer Notation plugin
 * artifact. A value that is set is checked (the certificate against its pinned DER SHA-256, the digest's format);
 * a value that is null is a first-deploy gap: the render stays fail-closed and `firstDeployGaps` names it.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SIGNATURE_TRUST_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'signature-trust.yaml');
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const SHA256_HEX = /^[a-f0-9]{64}$/;
const ARCHITECTURES = ['amd64', 'arm64'] as const;

export interface SignatureTrust {
  /** PEM of AWS Signer's root, or null until a person adds it. */
  awsSignerRootPem: string | null;
  awsSignerRootDerSha256: string;
  plugin: { repository: string; architecture: (typeof ARCHITECTURES)[number]; digest: string | null };
}

export class SignatureTrustError extends Error {
  override name = 'SignatureTrustError';
}

/** DER SHA-256 of a PEM certificate, lower-case hex without separators. */
export function derSha256(pem: string): string {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (error) {
    throw new SignatureTrustError(`awsSignerRootCertificate.pem: not a PEM certificate (${(error as Error).message})`);
  }
  return certificate.fingerprint256.replaceAll(':', '').toLowerCase();
}

export function parseSignatureTrust(text: string, file = 'signature-trust.yaml'): SignatureTrust {
  const raw = (parse(text) ?? {}) as {
    awsSignerRootCertificate?: { derSha256?: unknown; pem?: unknown };
    notationPlugin?: { repository?: unknown; architecture?: unknown; digest?: unknown };
  };
  const fail = (path: string, expected: string, got: unknown): never => {
    throw new SignatureTrustError(`${file}: ${path}: expected ${expected}, got ${JSON.stringify(got ?? null)}`);
  };
  const root = raw.awsSignerRootCertificate ?? {};
  const plugin = raw.notationPlugin ?? {};
  if (typeof root.derSha256 !== 'string' || !SHA256_HEX.test(root.derSha256))
    fail('awsSignerRootCertificate.derSha256', '64 lower-case hex digits', root.derSha256);
  if (root.pem !== null && typeof root.pem !== 'string')
    fail('awsSignerRootCertificate.pem', 'a PEM certificate or null', root.pem);
  if (typeof plugin.repository !== 'string' || !/^[a-z0-9.-]+(\/[a-z0-9._-]+)+$/.test(plugin.repository))
    fail('notationPlugin.repository', 'an OCI repository without tag or digest', plugin.repository);
  if (!ARCHITECTURES.includes(plugin.architecture as never))
    fail('notationPlugin.architecture', ARCHITECTURES.join(' or '), plugin.architecture);
  if (plugin.digest !== null && (typeof plugin.digest !== 'string' || !DIGEST.test(plugin.digest)))
    fail('notationPlugin.digest', 'sha256:<64 hex> or null', plugin.digest);
  const pem = (root.pem as string | null) ?? null;
  if (pem !== null) {
    const actual = derSha256(pem);
    if (actual !== root.derSha256)
      throw new SignatureTrustError(
        `${file}: awsSignerRootCertificate.pem: DER SHA-256 ${actual} is not AWS Signer's root (${root.derSha256})`,
      );
  }
  return {
    awsSignerRootPem: pem === null ? null : `${pem.trim()}\n`,
    awsSignerRootDerSha256: root.derSha256 as string,
    plugin: {
      repository: plugin.repository as string,
      architecture: plugin.architecture as SignatureTrust['plugin']['architecture'],
      digest: (plugin.digest as string | null) ?? null,
    },
  };
}

export function loadSignatureTrust(file: string = SIGNATURE_TRUST_FILE): SignatureTrust {
  return parseSignatureTrust(readFileSync(file, 'utf8'));
}

/** What a person must still fill in before the first deploy admits any API image (empty when ready). */
export function firstDeployGaps(trust: SignatureTrust): string[] {
  const gaps: string[] = [];
  if (trust.awsSignerRootPem === null)
    gaps.push(
      "signature-trust.yaml: awsSignerRootCertificate.pem is null: Ratify has no AWS Signer root and denies every API image (README 'First deploy')",
    );
  if (trust.plugin.digest === null)
    gaps.push(
      "signature-trust.yaml: notationPlugin.digest is null: Ratify cannot load the AWS Signer plugin and denies every API image (README 'First deploy')",
    );
  return gaps;
}
