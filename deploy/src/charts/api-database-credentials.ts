/**
 * How the API's pods get their database credentials (ADR 0103): as FILES from Secret volumes, never as environment
 * variables. The API reads the file at every new connection (DB_SECRET_FILE), and the kubelet rewrites a Secret
 * volume's files when the Secret changes, so a rotation reaches running pods without a restart. A volume mounted
 * with `subPath` is never updated by the kubelet: none is used here, and a test keeps it so.
 *
 * Two secrets, both brought from Secrets Manager by External Secrets:
 * - `database-app`: the application user (alternating-users rotation). The Rollout's pods and the purge CronJob
 *   log in with it.
 * - `database-migrator`: the migrator login (alternating-users rotation), a member of the owner role that owns the
 *   schema. The migration Job's `migrate` container logs in with it and migrates as the owner (ADR 0129).
 *
 * The master user's secret is not among them: no object in the cluster refers to it. The roles' bootstrap that needs
 * it (the owner role, both logins, `data_reader`) is a custom resource of the data stack, a Lambda in AWS that reads
 * it from Secrets Manager (ADR 0158), so reading Secrets in this namespace or running code in a pod never yields
 * `rds_superuser`.
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
  const secret = (credentials: Credentials, remoteKey: string, refreshInterval: string): IExternalSecret => ({
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
  ];
}
