/**
 * The database credentials the API's pods read are the ones the CDK app rotates with alternating users, and the
 * pods read them in the one way that follows a rotation: a file from a Secret volume without subPath (ADR 0103).
 *
 * A cross test over both sides, here because this is where the synthesized template is at hand (synthesized in
 * process from the source, as the other data-stack tests do), while the render is a committed file any package can
 * read and `make check-deploy` keeps equal to its source. The chain it follows: pod env DB_SECRET_FILE → the
 * volume mounted at that path → the Kubernetes Secret → the ExternalSecret that writes it → the Secrets Manager
 * name it reads → the AWS::SecretsManager::Secret with that name → its RotationSchedule → the rotation function's
 * type. Each link that breaks is one named problem; the mutation cases below show that each one is caught.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { INFRA_DIR } from '../../lib/app-context.ts';
import { ENVIRONMENTS, templateOf } from '../helpers/environment-stacks.ts';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates and Kubernetes objects are untyped JSON.
type Json = any;

type RotationKind = 'alternating users' | 'single user' | 'unknown';

/** The Secrets Manager secrets a template rotates, by name, with the kind of rotation. */
function rotatedSecrets(template: Json): Map<string, RotationKind> {
  const resources: Record<string, Json> = template.Resources;
  const rotated = new Map<string, RotationKind>();
  for (const schedule of Object.values(resources).filter((r) => r.Type === 'AWS::SecretsManager::RotationSchedule')) {
    let target = resources[schedule.Properties.SecretId?.Ref];
    if (target?.Type === 'AWS::SecretsManager::SecretTargetAttachment')
      target = resources[target.Properties.SecretId.Ref];
    if (target?.Type !== 'AWS::SecretsManager::Secret') continue;
    rotated.set(target.Properties.Name, rotationKind(template, schedule.Properties));
  }
  return rotated;
}

function rotationKind(template: Json, schedule: Json): RotationKind {
  // Secrets Manager's managed rotation (HostedRotationLambda) names its type directly.
  const hosted: string | undefined = schedule.HostedRotationLambda?.RotationType;
  if (hosted) return hosted.endsWith('MultiUser') ? 'alternating users' : 'single user';
  // CDK's SecretRotation deploys AWS's rotation application from the Serverless Application Repository.
  const [applicationId] = schedule.RotationLambdaARN?.['Fn::GetAtt'] ?? [];
  const location = template.Resources[applicationId]?.Properties?.Location?.ApplicationId;
  const mapping = location?.['Fn::FindInMap']?.[0];
  const ids = JSON.stringify(mapping ? template.Mappings?.[mapping] : location);
  if (ids?.includes('RotationMultiUser')) return 'alternating users';
  if (ids?.includes('RotationSingleUser')) return 'single user';
  return 'unknown';
}

/** Every object of an environment's api-base and api components, as committed under deploy/rendered/. */
function renderedApi(name: string): Json[] {
  const dir = join(INFRA_DIR, '..', 'deploy', 'rendered', 'components', name);
  return ['api-base', 'api'].flatMap((component) =>
    readdirSync(join(dir, component))
      .filter((file) => file.endsWith('.yaml'))
      .flatMap((file) => parseAllDocuments(readFileSync(join(dir, component, file), 'utf8')).map((d) => d.toJS())),
  );
}

/** The pods that serve the API's traffic and jobs as the application user (the migration is the migrator's). */
function appPods(objects: Json[]): { owner: string; spec: Json }[] {
  return objects.flatMap((object) => {
    if (object?.kind === 'Rollout')
      return [{ owner: `Rollout ${object.metadata.name}`, spec: object.spec.template.spec }];
    if (object?.kind === 'CronJob')
      return [{ owner: `CronJob ${object.metadata.name}`, spec: object.spec.jobTemplate.spec.template.spec }];
    return [];
  });
}

const CREDENTIAL_KEYS = new Set(['DB_SECRET', 'credentials.json', 'username', 'password']);

/** What breaks the chain from each application pod to an alternating-users rotation; empty when nothing does. */
function wiringProblems(template: Json, objects: Json[]): string[] {
  const rotated = rotatedSecrets(template);
  const problems: string[] = [];
  const pods = appPods(objects);
  if (pods.length === 0) problems.push('no Rollout or CronJob in the render');
  for (const { owner, spec } of pods) {
    for (const container of spec.containers) {
      const where = `${owner} ${container.name}`;
      const env: Json[] = container.env ?? [];
      for (const variable of env) {
        const key = variable.valueFrom?.secretKeyRef?.key;
        if (CREDENTIAL_KEYS.has(variable.name) || CREDENTIAL_KEYS.has(key))
          problems.push(`${where}: credentials from the environment variable ${variable.name}`);
      }
      const file: string | undefined = env.find((v) => v.name === 'DB_SECRET_FILE')?.value;
      if (!file) {
        problems.push(`${where}: no DB_SECRET_FILE`);
        continue;
      }
      // A directory holding the file, or (with subPath) the file itself.
      const mount = (container.volumeMounts ?? []).find(
        (m: Json) => file === m.mountPath || file.startsWith(`${m.mountPath}/`),
      );
      if (!mount) {
        problems.push(`${where}: nothing mounted at ${file}`);
        continue;
      }
      if (mount.subPath !== undefined || mount.subPathExpr !== undefined)
        problems.push(`${where}: ${mount.mountPath} is mounted with subPath (never updated after a rotation)`);
      const volume = (spec.volumes ?? []).find((v: Json) => v.name === mount.name);
      const secretName: string | undefined = volume?.secret?.secretName;
      if (!secretName) {
        problems.push(`${where}: the volume at ${mount.mountPath} is not a Secret`);
        continue;
      }
      const external = objects.find(
        (o) => o?.kind === 'ExternalSecret' && (o.spec.target?.name ?? o.metadata.name) === secretName,
      );
      const remoteKeys: string[] = [
        ...(external?.spec.dataFrom ?? []).map((d: Json) => d.extract?.key),
        ...(external?.spec.data ?? []).map((d: Json) => d.remoteRef?.key),
      ].filter(Boolean);
      if (remoteKeys.length !== 1) {
        problems.push(`${where}: Secret ${secretName} does not come from exactly one Secrets Manager secret`);
        continue;
      }
      const [remote] = remoteKeys as [string];
      const kind = rotated.get(remote);
      if (kind !== 'alternating users')
        problems.push(`${where}: mounts ${remote}, which is ${kind ? `rotated ${kind}` : 'not rotated by this stack'}`);
    }
  }
  return problems;
}

const clone = <T>(value: T): T => structuredClone(value);

describe.each(ENVIRONMENTS)('%s: the pods read the credentials the CDK app rotates with alternating users', (name) => {
  const template = templateOf(name, 'data').toJSON();
  const objects = renderedApi(name);

  it('holds for the synthesized data stack and the committed render', () => {
    expect(wiringProblems(template, objects)).toEqual([]);
    // The migrator's secret rotates with alternating users too; the master's, which only the roles' bootstrap
    // uses, keeps its single-user rotation.
    expect([...rotatedSecrets(template).values()].sort()).toEqual([
      'alternating users',
      'alternating users',
      'single user',
    ]);
  });

  // Each case breaks one link the way a plausible change would; the check must name it.
  const appSchedule = (t: Json) =>
    Object.values<Json>(t.Resources).find(
      (r) =>
        r.Type === 'AWS::SecretsManager::RotationSchedule' &&
        JSON.stringify(r.Properties.SecretId).includes('AppUserSecret'),
    );
  const rollout = (o: Json[]) => o.find((x) => x?.kind === 'Rollout').spec.template.spec;
  const server = (o: Json[]) => rollout(o).containers[0];

  it.each<[string, (t: Json, o: Json[]) => void, RegExp]>([
    [
      'the app secret rotated single-user (serverless application)',
      (t) => {
        const [app] = appSchedule(t).Properties.RotationLambdaARN['Fn::GetAtt'];
        const [mapping] = t.Resources[app].Properties.Location.ApplicationId['Fn::FindInMap'];
        t.Mappings[mapping] = JSON.parse(
          JSON.stringify(t.Mappings[mapping]).replaceAll('RotationMultiUser', 'RotationSingleUser'),
        );
      },
      /mounts .*app-user, which is rotated single user/,
    ],
    [
      'the app secret rotated single-user (hosted rotation)',
      (t) => {
        const schedule = appSchedule(t).Properties;
        delete schedule.RotationLambdaARN;
        schedule.HostedRotationLambda = { RotationType: 'PostgreSQLSingleUser' };
      },
      /which is rotated single user/,
    ],
    [
      'the app secret not rotated at all',
      (t) => {
        const schedule = appSchedule(t);
        const id = Object.keys(t.Resources).find((key) => t.Resources[key] === schedule) as string;
        delete t.Resources[id];
      },
      /which is not rotated by this stack/,
    ],
    [
      'the credentials read from an environment variable',
      (_t, o) => {
        const container = server(o);
        container.env = container.env.filter((v: Json) => v.name !== 'DB_SECRET_FILE');
        container.env.push({
          name: 'DB_SECRET',
          valueFrom: { secretKeyRef: { name: 'database-app', key: 'DB_SECRET' } },
        });
      },
      /credentials from the environment variable DB_SECRET/,
    ],
    [
      'the credentials file mounted with subPath',
      (_t, o) => {
        // The usual way to mount one file at a chosen path.
        const file = server(o).env.find((v: Json) => v.name === 'DB_SECRET_FILE').value;
        const mount = server(o).volumeMounts.find((m: Json) => file.startsWith(`${m.mountPath}/`));
        mount.mountPath = file;
        mount.subPath = 'credentials.json';
      },
      /mounted with subPath/,
    ],
    [
      'the application user’s Secret filled from the master’s secret instead',
      (t, o) => {
        // No object of the render refers to the master's secret any more (ADR 0158): wire one to it.
        const master = [...rotatedSecrets(t)].find(([, kind]) => kind === 'single user')?.[0];
        const external = o.find((x) => x?.kind === 'ExternalSecret' && x.metadata.name === 'database-app');
        external.spec.dataFrom[0].extract.key = master;
      },
      /mounts .*\/database\/app, which is rotated single user/,
    ],
    [
      'the ExternalSecret reading another Secrets Manager secret',
      (_t, o) => {
        const external = o.find((x) => x?.kind === 'ExternalSecret' && x.metadata.name === 'database-app');
        external.spec.dataFrom[0].extract.key = `${external.spec.dataFrom[0].extract.key}-old`;
      },
      /which is not rotated by this stack/,
    ],
  ])('fails when %s', (_case, mutate, expected) => {
    const [t, o] = [clone(template), clone(objects)];
    mutate(t, o);
    const problems = wiringProblems(t, o);
    expect(problems.join('\n')).toMatch(expected);
  });
});
