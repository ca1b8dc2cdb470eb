/**
 * The API image (api/Dockerfile) and what deploy/ renders for it must agree: user and group, the command, the CA
 * bundle path the API verifies RDS against, the writable temp folder. No Docker engine here: this reads the
 * Dockerfile as text, so it proves the two descriptions agree, not that the image builds (CI builds it).
 */
import { describe, expect, it } from 'vitest';
import { dockerInstructions, envPairs, type Json, readRepoFile, renderedObjects } from './helpers.ts';

const dockerfile = dockerInstructions(readRepoFile('api', 'Dockerfile'));
const runtime = dockerfile.filter((i) => i.stage === 'runtime');
const one = (keyword: string) => {
  const found = runtime.filter((i) => i.keyword === keyword);
  expect(found, `runtime stage: exactly one ${keyword}`).toHaveLength(1);
  return (found[0] as { args: string }).args;
};
const imageEnv = new Map(runtime.filter((i) => i.keyword === 'ENV').flatMap((i) => envPairs(i.args)));
const caBundlePath = (() => {
  const add = runtime.find((i) => i.keyword === 'ADD' && /RDS_CA_BUNDLE_URL/.test(i.args));
  expect(add, 'runtime stage ADDs the RDS CA bundle').toBeDefined();
  return (add as { args: string }).args.split(/\s+/).at(-1);
})();

describe.each(['dev', 'staging', 'prod'])('%s render vs api/Dockerfile', (envName) => {
  const objects = renderedObjects(envName, 'api');
  const pods = [
    ['Rollout', 'api'],
    ['Job', 'api-migrate'],
  ].map(([kind, name]) => {
    const object = objects.find((o: Json) => o.kind === kind && o.metadata.name === name);
    expect(object, `${kind} ${name} rendered for ${envName}`).toBeDefined();
    return { id: `${kind} ${name}`, spec: object.spec.template.spec as Json };
  });

  it.each(pods)('$id runs as the image’s USER', ({ spec }) => {
    const [uid, gid] = one('USER').split(':').map(Number);
    expect(spec.securityContext.runAsUser).toBe(uid);
    expect(spec.securityContext.runAsGroup).toBe(gid);
    expect(spec.securityContext.runAsNonRoot).toBe(true);
  });

  it.each(pods)('$id runs an innovate-api command that the image puts on PATH', ({ spec }) => {
    const command: string[] = spec.containers[0].command;
    expect(command[0]).toBe('innovate-api');
    expect(imageEnv.get('PATH')?.split(':')[0]).toBe('/opt/venv/bin');
    expect(readRepoFile('api', 'pyproject.toml')).toMatch(/^innovate-api = "innovate_api\.cli:main"$/m);
    expect(runtime.some((i) => i.keyword === 'COPY' && /--from=builder \/opt\/venv \/opt\/venv$/.test(i.args))).toBe(
      true,
    );
  });

  it.each(pods)('$id verifies RDS against the bundle the image carries', ({ spec }) => {
    const env = new Map(spec.containers[0].env.map((e: Json) => [e.name, e.value]));
    expect(env.get('DB_SSLMODE')).toBe('verify-full');
    expect(env.get('DB_SSLROOTCERT')).toBe(caBundlePath);
  });

  it.each(pods)('$id writes only to /tmp, which the image uses as TMPDIR', ({ spec }) => {
    const container = spec.containers[0];
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const env = new Map(container.env.map((e: Json) => [e.name, e.value]));
    expect(env.get('TMPDIR')).toBe(imageEnv.get('TMPDIR'));
    const mount = container.volumeMounts.find((m: Json) => m.mountPath === imageEnv.get('TMPDIR'));
    expect(spec.volumes.find((v: Json) => v.name === mount?.name)?.emptyDir).toBeDefined();
    expect(imageEnv.get('PYTHONDONTWRITEBYTECODE')).toBe('1');
  });

  it('the image’s default command is the Rollout’s', () => {
    expect(JSON.parse(one('CMD'))).toEqual(pods[0]?.spec.containers[0].command);
  });
});

describe('api/Dockerfile', () => {
  it('installs exactly the lock file, without dev dependencies', () => {
    const syncs = dockerfile.filter((i) => i.keyword === 'RUN' && /\buv sync\b/.test(i.args));
    expect(syncs.length).toBeGreaterThan(0);
    for (const sync of syncs) expect(sync.args).toMatch(/--frozen\b.*--no-dev\b/);
  });

  it('pins every base image by tag and digest', () => {
    const arg = dockerfile.find((i) => i.keyword === 'ARG' && i.args.startsWith('PYTHON_IMAGE='));
    expect(arg?.args).toMatch(/^PYTHON_IMAGE=python:3\.11\.\d+-slim-\w+@sha256:[0-9a-f]{64}$/);
    for (const from of dockerfile.filter((i) => i.keyword === 'FROM')) expect(from.args).toMatch(/^\$\{PYTHON_IMAGE\}/);
  });

  it('creates the user it switches to', () => {
    const uid = dockerfile.find((i) => i.stage === 'runtime' && i.keyword === 'ARG' && i.args.startsWith('APP_UID='));
    const user = runtime.find((i) => i.keyword === 'USER')?.args;
    expect(user).toBe(`${uid?.args.split('=')[1]}:${uid?.args.split('=')[1]}`);
    expect(runtime.some((i) => i.keyword === 'RUN' && /useradd .*--uid "\$\{APP_UID\}"/.test(i.args))).toBe(true);
  });

  it('has no secrets in ARG or ENV', () => {
    for (const i of dockerfile.filter((d) => d.keyword === 'ARG' || d.keyword === 'ENV'))
      expect(i.args).not.toMatch(/PASSWORD|SECRET|TOKEN|ACCESS_KEY/i);
  });
});
