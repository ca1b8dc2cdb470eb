/**
 * The database credentials reach the pods as files from Secret volumes (ADR 0103): the API reads DB_SECRET_FILE at
 * every new connection, and only a volume mounted without subPath is updated by the kubelet after a rotation. The
 * master user's never do: the roles' bootstrap that needs it runs in AWS (ADR 0158).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { config, find, type Json, objectsOf } from './helpers.ts';

const RENDERED = join(import.meta.dirname, '..', 'rendered');

const CREDENTIAL_KEYS = ['credentials.json', 'DB_SECRET', 'username', 'password'];

/** The pod spec of every workload that talks to the database, with the Secret its credentials file comes from. */
function databasePods(objects: Json[]) {
  const rollout = (find(objects, 'Rollout', 'api') as Json[])[0];
  const cron = (find(objects, 'CronJob', 'api-purge-idempotency-keys') as Json[])[0];
  const migrate = (find(objects, 'Job', 'api-migrate') as Json[])[0];
  return [
    { owner: 'Rollout api', spec: rollout.spec.template.spec, user: 'database-app' },
    { owner: 'CronJob purge', spec: cron.spec.jobTemplate.spec.template.spec, user: 'database-app' },
    { owner: 'Job migrate', spec: migrate.spec.template.spec, user: 'database-migrator' },
  ];
}

/** The Secret behind the file an environment variable names, through the container's mount and the pod's volume. */
function secretBehind(spec: Json, variable: string): { secretName: string; mount: Json; volume: Json } {
  const container = spec.containers[0];
  const path: string = container.env.find((e: Json) => e.name === variable).value;
  const mount = container.volumeMounts.find((m: Json) => path.startsWith(`${m.mountPath}/`));
  const volume = spec.volumes.find((v: Json) => v.name === mount.name);
  const file = path.slice(mount.mountPath.length + 1);
  expect(volume.secret.items).toEqual([{ key: file, path: file }]);
  return { secretName: volume.secret.secretName, mount, volume };
}

describe.each(config.environments.map((env) => env.name))('%s: database credentials are mounted files', (name) => {
  const objects = objectsOf(name) as Json[];

  it.each(databasePods(objects).map((pod) => [pod.owner, pod] as const))(
    '%s reads DB_SECRET_FILE from its user’s Secret volume, without subPath, read-only',
    (_owner, { spec, user }) => {
      const { secretName, mount } = secretBehind(spec, 'DB_SECRET_FILE');
      expect(secretName).toBe(user);
      expect(mount.subPath).toBeUndefined();
      expect(mount.subPathExpr).toBeUndefined();
      expect(mount.readOnly).toBe(true);
    },
  );

  it('no container gets a credential from an environment variable', () => {
    for (const { owner, spec } of databasePods(objects)) {
      for (const variable of spec.containers[0].env) {
        expect(variable.name, owner).not.toBe('DB_SECRET');
        expect(CREDENTIAL_KEYS, `${owner} ${variable.name}`).not.toContain(variable.valueFrom?.secretKeyRef?.key);
      }
      expect(spec.containers[0].envFrom, owner).toBeUndefined();
    }
  });

  it('the migration logs in as the migrator and grants the application user named in its own file', () => {
    const migrate = databasePods(objects).find((pod) => pod.owner === 'Job migrate');
    expect(migrate?.spec.containers[0].command).toEqual(['innovate-api', 'migrate']);
    expect(secretBehind(migrate?.spec, 'DB_APP_SECRET_FILE').secretName).toBe('database-app');
  });

  it('the migration Job is the migration alone: no init container, only the migrator’s and the app user’s files', () => {
    const job = (find(objects, 'Job', 'api-migrate') as Json[])[0].spec.template.spec;
    expect(job.initContainers).toBeUndefined();
    const secretVolumes = job.volumes.filter((v: Json) => v.secret).map((v: Json) => v.secret.secretName);
    expect(secretVolumes.sort()).toEqual(['database-app', 'database-migrator']);
  });

  it('refreshes the application user’s and the migrator’s Secrets hourly', () => {
    const interval = (secret: string) => (find(objects, 'ExternalSecret', secret) as Json[])[0].spec.refreshInterval;
    expect(interval('database-app')).toBe('1h');
    expect(interval('database-migrator')).toBe('1h');
  });
});

/** Every string in an object, with where it is. */
function* strings(value: Json, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, `${path}[${i}]`);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) yield* strings(item, `${path}.${key}`);
}

/** Where an object refers to the master's secret: its Secrets Manager name or ARN, or a Kubernetes Secret made from it. */
function masterReferences(objects: Json[], masterName: string, masterSecrets: Set<string>): string[] {
  const found: string[] = [];
  for (const object of objects) {
    const owner = `${object?.kind} ${object?.metadata?.namespace ?? ''}/${object?.metadata?.name}`;
    for (const [path, value] of strings(object)) {
      const names =
        value === masterName || value.includes(`:secret:${masterName}-`) || value.endsWith(`:secret:${masterName}`);
      // A Kubernetes Secret referred to by name (volume, env, envFrom, ExternalSecret target) that holds the master.
      const kubeSecret =
        /(secretName|secretKeyRef\.name|secretRef\.name|target\.name)$/.test(path) && masterSecrets.has(value);
      if (names || kubeSecret) found.push(`${owner}${path} = ${value}`);
    }
  }
  return found;
}

/** The Kubernetes Secrets External Secrets would fill from the master's secret. */
function secretsFromMaster(objects: Json[], masterName: string): Set<string> {
  const made = objects
    .filter((o) => o?.kind === 'ExternalSecret')
    .filter((o) =>
      [
        ...(o.spec?.dataFrom ?? []).map((d: Json) => d.extract?.key),
        ...(o.spec?.data ?? []).map((d: Json) => d.remoteRef?.key),
      ].includes(masterName),
    )
    .map((o) => (o.spec.target?.name ?? o.metadata.name) as string);
  // The name the master's Secret had in the cluster, so a volume or env that still names it is caught too.
  return new Set([...made, 'database']);
}

function renderedObjects(): Json[] {
  const files = readdirSync(RENDERED, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
  expect(files.length).toBeGreaterThan(0);
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(RENDERED, file), 'utf8')).map((document) => document.toJS()),
  );
}

describe('no Kubernetes object refers to the database master’s secret (it stays in AWS, ADR 0158)', () => {
  const masterNames = config.environments.map((env) => env.names.databaseSecretName);

  it.each(config.environments.map((env) => [env.name, env.names.databaseSecretName] as const))(
    '%s: none of the synthesized objects, of any kind',
    (name, masterName) => {
      const objects = objectsOf(name) as Json[];
      expect(masterReferences(objects, masterName, secretsFromMaster(objects, masterName))).toEqual([]);
    },
  );

  it('none of the committed rendered files, of any environment', () => {
    const objects = renderedObjects();
    const found = masterNames.flatMap((masterName) =>
      masterReferences(objects, masterName, secretsFromMaster(objects, masterName)),
    );
    expect(found).toEqual([]);
  });

  it('the check finds the objects the migration Job’s bootstrap used to need', () => {
    const [masterName] = masterNames as [string];
    const external = {
      kind: 'ExternalSecret',
      metadata: { name: 'database', namespace: 'api' },
      spec: { target: { name: 'database' }, dataFrom: [{ extract: { key: masterName } }] },
    };
    const job = {
      kind: 'Job',
      metadata: { name: 'api-migrate', namespace: 'api' },
      spec: { template: { spec: { volumes: [{ name: 'm', secret: { secretName: 'database' } }] } } },
    };
    const objects = [external, job];
    expect(masterReferences(objects, masterName, secretsFromMaster(objects, masterName))).toEqual([
      `ExternalSecret api/database.spec.target.name = database`,
      `ExternalSecret api/database.spec.dataFrom[0].extract.key = ${masterName}`,
      'Job api/api-migrate.spec.template.spec.volumes[0].secret.secretName = database',
    ]);
  });
});
