/**
 * How the API's pods get their database credentials (ADR 0103): as FILES from Secret volumes, never as environment
 * variables. The API reads the file at every new connection (DB_SECRET_FILE), and the kubelet rewrites a Secret
 * volume's files when the Secret changes, so a rotation reaches running pods without a restart. A volume mounted
 * with `subPath` is never updated by the kubelet: none is used here, and a test keeps it so.
 *
 * Two secrets, both brought from Secrets Manager by External Secrets:
 * - `database-app`: the application user (alternating-users rotation). The Rollout's pods and the purge CronJob
 *   log in with it.
 * - `database`: the master user (single-user rotation). Only the migration Job logs in with it; it also mounts the
 *   application user's file, to create that role on the first migration (DB_APP_SECRET_FILE).
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

/** The PreSync migration Job: logs in as the master user, and sets up the application user's role. */
export function migrationDatabaseAccess(): DatabaseAccess {
  const { app, master } = DATABASE_CREDENTIALS;
  return {
    env: [
      ...endpointEnv(master.secret),
      { name: 'DB_SECRET_FILE', value: credentialsPath(master) },
      { name: 'DB_APP_SECRET_FILE', value: credentialsPath(app) },
    ],
    volumes: [credentialsVolume(master), credentialsVolume(app)],
    volumeMounts: [credentialsMount(master), credentialsMount(app)],
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
    // Single-user rotation: the old master password stops working at once. Only the migration Job uses it, at the
    // start of a sync; 5 minutes bounds how long a just-rotated password can make a migration fail its login
    // (the Job's retry or the next sync then logs in).
    secret(DATABASE_CREDENTIALS.master, names.databaseSecretName, '5m', {
      // Transition, remove in the release after this one: pods of the previous image (the stable ReplicaSet during
      // the canary, and again after an abort) read DB_SECRET from here when they (re)start. No pod of this image does.
      DB_SECRET: credentialsJson,
    }),
  ];
}
