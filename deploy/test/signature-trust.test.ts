import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadRegistry } from '../checks/validate/registry.ts';
import { validateObjects } from '../checks/validate/validate.ts';
import type { KubeObject } from '../src/chart.ts';
import { buildCharts, deployContext } from '../src/render.ts';
import { firstDeployGaps, loadSignatureTrust, parseSignatureTrust } from '../src/signature-trust.ts';
import { config, find, type Json } from './helpers.ts';

// Any real certificate stands in for AWS Signer's root; the tests pin its own fingerprint.
const pem = rootCertificates[0] as string;
const fingerprint = new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();
const digest = `sha256:${'ab'.repeat(32)}`;
const trustText = (overrides: { pem?: string | null; derSha256?: string; digest?: string | null }) =>
  stringify({
    awsSignerRootCertificate: { derSha256: overrides.derSha256 ?? fingerprint, pem: overrides.pem ?? null },
    notationPlugin: {
      repository: 'public.ecr.aws/aws-signer/notation-plugin',
      architecture: 'arm64',
      digest: overrides.digest ?? null,
    },
  });
const objectsWith = (text: string): KubeObject[] =>
  buildCharts(deployContext(config, 'dev', parseSignatureTrust(text))).flatMap(
    (chart) => Testing.synth(chart) as KubeObject[],
  );
const ratifyValues = (objects: KubeObject[]): Json =>
  (find(objects, 'Application', 'ratify')[0] as Json).spec.source.helm.valuesObject;

describe('signature trust inputs (ADR 0066)', () => {
  it('the committed file parses and names each unset input as a first-deploy gap', () => {
    const gaps = firstDeployGaps(loadSignatureTrust());
    expect(gaps.length).toBeLessThanOrEqual(2);
    for (const gap of gaps) expect(gap).toMatch(/awsSignerRootCertificate\.pem|notationPlugin\.digest/);
  });

  it('while unset, the render stays fail-closed: no certificate, no plugin Verifier', () => {
    const objects = objectsWith(trustText({}));
    expect(ratifyValues(objects).notationCerts).toEqual([]);
    expect(find(objects, 'Verifier')).toEqual([]);
    expect(firstDeployGaps(parseSignatureTrust(trustText({})))).toHaveLength(2);
  });

  it('once set, Ratify gets the root as signing authority and a digest-pinned plugin Verifier that validates', async () => {
    const objects = objectsWith(trustText({ pem, digest }));
    const values = ratifyValues(objects);
    expect(values.notationCerts).toEqual([`${pem.trim()}\n`]);
    expect(values.notation.trustPolicies[0].trustStores).toEqual(['signingAuthority:notationCerts[0]']);
    const [verifier] = find(objects, 'Verifier') as Json[];
    expect(verifier.spec.name).toBe('notation-com.amazonaws.signer.notation.plugin');
    expect(verifier.spec.source.artifact).toBe(`public.ecr.aws/aws-signer/notation-plugin@${digest}`);
    expect(firstDeployGaps(parseSignatureTrust(trustText({ pem, digest })))).toEqual([]);
    const registry = await loadRegistry();
    expect(validateObjects([{ source: 'verifier', object: verifier }], registry)).toEqual([]);
    const byTag = structuredClone(verifier);
    byTag.spec.source.artifact = 'public.ecr.aws/aws-signer/notation-plugin:linux-arm64-latest';
    expect(validateObjects([{ source: 'verifier', object: byTag }], registry).join('\n')).toMatch(/source\/artifact/);
  });

  it('refuses a certificate that is not AWS Signer root, and a malformed digest', () => {
    expect(() => parseSignatureTrust(trustText({ pem, derSha256: 'f'.repeat(64) }))).toThrow(
      /awsSignerRootCertificate\.pem: DER SHA-256 [a-f0-9]{64} is not AWS Signer's root/,
    );
    expect(() => parseSignatureTrust(trustText({ pem: 'not a certificate' }))).toThrow(/not a PEM certificate/);
    expect(() => parseSignatureTrust(trustText({ digest: 'latest' }))).toThrow(/notationPlugin\.digest: expected/);
  });

  it('trusts exactly the environment profile ARN (no x509.subject prefix) and assumes its IRSA role', () => {
    const values = ratifyValues(objectsWith(trustText({})));
    const env = config.environment('dev');
    expect(values.notation.trustPolicies[0].trustedIdentities).toEqual([
      `arn:aws:signer:${env.region}:${env.account.id}:/signing-profiles/${env.names.imageSigningProfileName}`,
    ]);
    expect(values.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toBe(
      `arn:aws:iam::${env.account.id}:role/${env.names.ratifyIrsaRoleName}`,
    );
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
    ]);
  });
});
