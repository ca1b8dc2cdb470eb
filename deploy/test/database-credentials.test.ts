/**
 * The database credentials reach the pods as files from Secret volumes (ADR 0103): the API reads DB_SECRET_FILE at
 * every new connection, and only a volume mounted without subPath is updated by the kubelet after a rotation.
 */
import { describe, expect, it } from 'vitest';
import { config, find, type Json, objectsOf } from './helpers.ts';

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
    {
      owner: 'Job migrate, its bootstrap-roles init container',
      spec: { ...migrate.spec.template.spec, containers: migrate.spec.template.spec.initContainers },
      user: 'database',
    },
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

  it('only the bootstrap-roles init container mounts the master’s Secret, and it runs before the migration', () => {
    const job = (find(objects, 'Job', 'api-migrate') as Json[])[0].spec.template.spec;
    const [bootstrap] = job.initContainers;
    expect(bootstrap.command).toEqual(['innovate-api', 'bootstrap-roles']);
    const bootstrapSpec = { ...job, containers: [bootstrap] };
    expect(secretBehind(bootstrapSpec, 'DB_MIGRATOR_SECRET_FILE').secretName).toBe('database-migrator');
    expect(secretBehind(bootstrapSpec, 'DB_APP_SECRET_FILE').secretName).toBe('database-app');
    const masterVolumes = job.volumes
      .filter((v: Json) => v.secret?.secretName === 'database')
      .map((v: Json) => v.name as string);
    for (const pod of databasePods(objects)) {
      for (const container of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
        const mountsMaster = container.volumeMounts.some((m: Json) => masterVolumes.includes(m.name));
        expect(mountsMaster, `${pod.owner}: ${container.name}`).toBe(container.name === 'bootstrap-roles');
      }
    }
  });

  it('refreshes the application user’s and the migrator’s Secrets hourly and the master’s every 5 minutes', () => {
    const interval = (secret: string) => (find(objects, 'ExternalSecret', secret) as Json[])[0].spec.refreshInterval;
    expect(interval('database-app')).toBe('1h');
    expect(interval('database-migrator')).toBe('1h');
    expect(interval('database')).toBe('5m');
  });
});
