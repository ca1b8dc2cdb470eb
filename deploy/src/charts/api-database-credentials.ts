/**
 * How the API's pods get their database credentials (ADR 0103): as FILES from Secret volumes, never as environment
 * variables. The API reads the file at every new connection (DB_SECRET_FILE), and the kubelet rewrites a Secret
 * volume's files when the Secret changes, so a rotation reaches running pods without a restart. A volume mounted
 * with `subPath` is never updated by the kubelet: none is used here, and a test keeps it so.
 *
 * Three secrets, all brought from Secrets Manager by External Secrets:
 * - `database-app`: the application user (alternating-users rotation). The Rollout's pods and the purge CronJob
 *   log in with it.
 * - `database-migrator`: the migrator login (alternating-users rotation), a member of the owner role that owns the
 *   schema. The migration Job's `migrate` container logs in with it and migrates as the owner (ADR 0129).
 * - `database`: the master user (single-user rotation). Only the migration Job's `bootstrap-roles` init container
 *   mounts it: it creates the owner, the migrator and the application user from their files and moves objects the
 *   master still owns to the owner. Once done it only reads the catalog.
 */
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { DeployContext } from '../context.ts';
import { CLUSTER_SECRET_STORE } from './platform.ts';

/** The key (and file name) holding `{"username": ..., "password": ...}` in both Secrets. */
export const CREDENTIALS_FILE = 'credentials.json';

export const DATABASE_CREDENTIALS = {
  app: {
    /** Kubernetes Secret (and ExternalSecret) of the application user. */
    secret: 'database-app',
    volume: 'database-app-credentials',
    mountPath: '/var/run/secrets/innovate/database-app',
  },
  migrator: {
    secret: 'database-migrator',
    volume: 'database-migrator-credentials',
    mountPath: '/var/run/secrets/innovate/database-migrator',
  },
  master: {
    secret: 'database',
    volume: 'database-master-credentials',
    mountPath: '/var/run/secrets/innovate/database-master',
  },
} as const;

type Credentials = (typeof DATABASE_CREDENTIALS)[keyof typeof DATABASE_CREDENTIALS];

/** The path of a credentials file inside the pod. */
export function credentialsPath(credentials: Credentials): string {
  return `${credentials.mountPath}/${CREDENTIALS_FILE}`;
}

/** What a pod spec and its container need to reach the database: env, volumes and mounts, merged by the caller. */
export interface DatabaseAccess {
  env: IEnvVar[];
  volumes: IVolume[];
  volumeMounts: IVolumeMount[];
}

/** The Rollout's pods and the purge CronJob: the application user. */
export function appDatabaseAccess(): DatabaseAccess {
  const { app } = DATABASE_CREDENTIALS;
  return {
    env: [...endpointEnv(app.secret), { name: 'DB_SECRET_FILE', value: credentialsPath(app) }],
    volumes: [credentialsVolume(app)],
    volumeMounts: [credentialsMount(app)],
  };
}

/** The PreSync migration Job's `migrate` container: logs in as the migrator, grants the application user. */
export function migrationDatabaseAccess(): DatabaseAccess {
  const { app, migrator } = DATABASE_CREDENTIALS;
  return {
    env: [
      ...endpointEnv(migrator.secret),
      { name: 'DB_SECRET_FILE', value: credentialsPath(migrator) },
      { name: 'DB_APP_SECRET_FILE', value: credentialsPath(app) },
    ],
    volumes: [credentialsVolume(migrator), credentialsVolume(app)],
    volumeMounts: [credentialsMount(migrator), credentialsMount(app)],
  };
}

/**
 * The migration Job's `bootstrap-roles` init container: the only one that logs in as the master. It reads the
 * migrator's and the application user's files for the passwords of logins it creates (only when missing).
 */
export function bootstrapDatabaseAccess(): DatabaseAccess {
  const { app, migrator, master } = DATABASE_CREDENTIALS;
  return {
    env: [
      ...endpointEnv(master.secret),
      { name: 'DB_SECRET_FILE', value: credentialsPath(master) },
      { name: 'DB_MIGRATOR_SECRET_FILE', value: credentialsPath(migrator) },
      { name: 'DB_APP_SECRET_FILE', value: credentialsPath(app) },
    ],
    volumes: [credentialsVolume(master), credentialsVolume(migrator), credentialsVolume(app)],
    volumeMounts: [credentialsMount(master), credentialsMount(migrator), credentialsMount(app)],
  };
}

/** The host and port are not secret and never change on rotation: plain env from the same Secret. */
function endpointEnv(secret: string): IEnvVar[] {
  return (['DB_HOST', 'DB_PORT'] as const).map((key) => ({
    name: key,
    valueFrom: { secretKeyRef: { name: secret, key } },
  }));
}

function credentialsVolume(credentials: Credentials): IVolume {
  return {
    name: credentials.volume,
    secret: {
      secretName: credentials.secret,
      // Only the credentials file; readable by the pod's group (fsGroup), not by others.
      items: [{ key: CREDENTIALS_FILE, path: CREDENTIALS_FILE }],
      defaultMode: 0o440,
    },
  };
}

function credentialsMount(credentials: Credentials): IVolumeMount {
  // The whole directory, never `subPath`: the kubelet updates a Secret volume by swapping a symlink in it.
  return { name: credentials.volume, mountPath: credentials.mountPath, readOnly: true };
}

/**
 * The two ExternalSecrets. Each Secret holds DB_HOST and DB_PORT for env and the credentials file for the volume;
 * the database name comes from config, TLS is verify-full against the CA bundle in the image (DB_SSLROOTCERT): the
 * server forces TLS (rds.force_ssl) and the client checks the certificate and host name, so a spoofed endpoint
 * cannot take the credentials.
 */
export function databaseExternalSecrets(ctx: DeployContext, labels: Record<string, string>): IExternalSecret[] {
  const { names } = ctx.env;
  const credentialsJson = '{"username":{{ .username | toJson }},"password":{{ .password | toJson }}}';
  const secret = (
    credentials: Credentials,
    remoteKey: string,
    refreshInterval: string,
    extraData: Record<string, string> = {},
  ): IExternalSecret => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: credentials.secret, namespace: names.apiNamespace, labels },
    spec: {
      refreshInterval,
      secretStoreRef: { kind: 'ClusterSecretStore', name: CLUSTER_SECRET_STORE },
      target: {
        name: credentials.secret,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        template: {
          engineVersion: 'v2',
          data: {
            DB_HOST: '{{ .host }}',
            DB_PORT: '{{ .port }}',
            // Only the credentials: the RDS secret also carries the engine, the instance id and the master's ARN.
            [CREDENTIALS_FILE]: credentialsJson,
            ...extraData,
          },
        },
      },
      dataFrom: [{ extract: { key: remoteKey } }],
    },
  });
  return [
    // Alternating users: the credentials the pods hold stay valid for a whole rotation period (30 days) after the
    // secret moves on, so an hour until the Secret follows (plus the kubelet's sync of the volume) is harmless.
    secret(DATABASE_CREDENTIALS.app, names.databaseAppSecretName, '1h'),
    // Alternating users too: the migrator's previous password stays valid for a rotation period.
    secret(DATABASE_CREDENTIALS.migrator, names.databaseMigratorSecretName, '1h'),
    // Single-user rotation: the old master password stops working at once. Only the migration Job's bootstrap uses
    // it, at the start of a sync; 5 minutes bounds how long a just-rotated password can make it fail its login
    // (the Job's retry or the next sync then logs in).
    secret(DATABASE_CREDENTIALS.master, names.databaseSecretName, '5m', {
      // Transition, remove in the release after this one: pods of the previous image (the stable ReplicaSet during
      // the canary, and again after an abort) read DB_SECRET from here when they (re)start. No pod of this image does.
      DB_SECRET: credentialsJson,
    }),
  ];
}
