import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImagePinError, loadApiImage } from '../src/images.ts';
import { config, find, type Json, objectsOf } from './helpers.ts';

const env = config.environment('prod');

function imagesFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'images-')), 'images.yaml');
  writeFileSync(path, text);
  return path;
}

describe('deploy/images.yaml', () => {
  it('builds the reference from the environment’s own registry and the pinned digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const pin = loadApiImage(env, imagesFile(`api:\n  prod: { digest: "${digest}" }\n`));
    expect(pin.reference).toBe(
      `${env.account.id}.dkr.ecr.${env.region}.amazonaws.com/${env.names.apiRepositoryName}@${digest}`,
    );
  });

  it.each([
    ['a tag', 'api:\n  prod: { digest: "latest" }\n'],
    ['a short digest', 'api:\n  prod: { digest: "sha256:abc" }\n'],
    ['a missing environment', `api:\n  dev: { digest: "sha256:${'a'.repeat(64)}" }\n`],
  ])('rejects %s with one line naming the field', (_name, text) => {
    expect(() => loadApiImage(env, imagesFile(text))).toThrow(ImagePinError);
    expect(() => loadApiImage(env, imagesFile(text))).toThrow(
      /^images\.yaml: api\.prod\.digest: expected sha256:<64 hex>/,
    );
  });
});

describe('database settings', () => {
  const objects = objectsOf('prod') as Json[];
  const secret = (name: string) => (find(objects, 'ExternalSecret', name) as Json[])[0];

  const credentials = '{"username":{{ .username | toJson }},"password":{{ .password | toJson }}}';
  it.each([
    ['database-app', env.names.databaseAppSecretName],
    ['database-migrator', env.names.databaseMigratorSecretName],
  ])('%s: from the RDS secret’s fields, with only the credentials in the file', (name, remoteKey) => {
    expect(secret(name).spec.dataFrom).toEqual([{ extract: { key: remoteKey } }]);
    expect(secret(name).spec.target.template.data).toEqual({
      DB_HOST: '{{ .host }}',
      DB_PORT: '{{ .port }}',
      'credentials.json': credentials,
    });
  });

  it('verify the server’s certificate and name in the Rollout, the migration Job and the purge CronJob', () => {
    for (const [kind, name, secretName] of [
      ['Rollout', 'api', 'database-app'],
      ['Job', 'api-migrate', 'database-migrator'],
      ['CronJob', 'api-purge-idempotency-keys', 'database-app'],
    ] as const) {
      const workload = (find(objects, kind, name) as Json[])[0];
      const pod = kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
      const vars = new Map<string, Json>(pod.containers[0].env.map((e: Json) => [e.name, e.valueFrom ?? e.value]));
      expect(vars.has('DATABASE_URL'), `${kind} ${name}`).toBe(false);
      expect(vars.has('DB_SECRET'), `${kind} ${name}`).toBe(false);
      expect(vars.get('DB_SSLMODE')).toBe('verify-full');
      expect(vars.get('DB_SSLROOTCERT')).toMatch(/^\/.+\.pem$/);
      expect(vars.get('DB_NAME')).toBe(env.names.databaseName);
      expect(vars.get('DB_SECRET_FILE')).toMatch(/^\/var\/run\/secrets\/innovate\/.+\/credentials\.json$/);
      for (const key of ['DB_HOST', 'DB_PORT']) {
        expect(vars.get(key)).toEqual({ secretKeyRef: { name: secretName, key } });
        expect(Object.keys(secret(secretName).spec.target.template.data)).toContain(key);
      }
    }
  });
});

describe('promotion edits of images.yaml', () => {
  const text = `# comment kept\napi:\n  dev: { digest: "sha256:${'a'.repeat(64)}" } # dev\n  staging: { digest: "sha256:${'b'.repeat(64)}" }\n`;

  it('replaces one digest and keeps comments and the other environments', async () => {
    const { pinnedDigest, withPinnedDigest } = await import('../src/images.ts');
    const updated = withPinnedDigest(text, 'staging', pinnedDigest(text, 'dev'));
    expect(updated).toContain('# comment kept');
    expect(updated).toContain('# dev');
    expect(pinnedDigest(updated, 'staging')).toBe(`sha256:${'a'.repeat(64)}`);
    expect(pinnedDigest(updated, 'dev')).toBe(`sha256:${'a'.repeat(64)}`);
  });

  it('refuses a tag or an unknown environment', async () => {
    const { withPinnedDigest } = await import('../src/images.ts');
    expect(() => withPinnedDigest(text, 'dev', 'latest')).toThrow(/expected sha256/);
    expect(() => withPinnedDigest(text, 'qa', `sha256:${'c'.repeat(64)}`)).toThrow(/api\.qa: no such environment/);
  });
});
