/**
 * Argo CD's half of drift detection (ADR 0092, requirement DEL-5): the notifications controller's trigger, template
 * and GitHub webhook are in the render, every Application subscribes to them, and the token reaches Argo CD's
 * namespace only, through a store that reads nothing else.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ARGOCD_SECRET_STORE,
  DISPATCH_SERVICE,
  DISPATCH_TOKEN_KEY,
  DRIFT_EVENT_TYPE,
  DRIFT_GRACE_MINUTES,
  DRIFT_TEMPLATE,
  DRIFT_TRIGGER,
  NOTIFICATIONS_CONFIGMAP,
  NOTIFICATIONS_SECRET,
} from '../src/charts/argocd-notifications.ts';
import { CLUSTER_SECRET_STORE } from '../src/charts/platform.ts';
import { config, find, type Json, objectsOf } from './helpers.ts';

describe.each(config.environments.map((env) => env.name))('%s: Argo CD reports drift to GitHub', (envName) => {
  const env = config.environment(envName);
  const { names } = env;
  const { git } = config.organization;
  const objects = objectsOf(envName) as Json[];
  const cm = find(objects, 'ConfigMap', NOTIFICATIONS_CONFIGMAP)[0] as Json;
  const data = cm.data as Record<string, string>;

  it("renders the notifications ConfigMap in Argo CD's namespace with this environment as its context", () => {
    expect(cm.metadata.namespace).toBe(names.argocdNamespace);
    expect(parse(data.context ?? '')).toEqual({ environment: envName });
  });

  it("the webhook posts to this repository's repository_dispatch endpoint with the token from the Secret", () => {
    const service = parse(data[`service.webhook.${DISPATCH_SERVICE}`] ?? '');
    expect(service.url).toBe(`https://api.github.com/repos/${git.githubOwner}/${git.githubRepo}/dispatches`);
    const headers = Object.fromEntries(service.headers.map((h: Json) => [h.name, h.value]));
    // `$<key>` is resolved by the controller from argocd-notifications-secret: no token in Git.
    expect(headers.Authorization).toBe(`Bearer $${DISPATCH_TOKEN_KEY}`);
    expect(headers.Accept).toBe('application/vnd.github+json');
    expect(headers['X-GitHub-Api-Version']).toBe('2022-11-28');
    expect(JSON.stringify(objects)).not.toMatch(/gh[pousr]_[A-Za-z0-9]{20,}|github_pat_/);
  });

  it('the template sends event type argocd-drift with the payload drift.yml validates', () => {
    const template = parse(data[`template.${DRIFT_TEMPLATE}`] ?? '');
    const webhook = template.webhook[DISPATCH_SERVICE];
    expect(webhook.method).toBe('POST');
    const body: string = webhook.body;
    expect(body).toContain(`"event_type": "${DRIFT_EVENT_TYPE}"`);
    for (const [key, source] of [
      ['environment', '.context.environment'],
      ['application', '.app.metadata.name'],
      ['sync_status', '.app.status.sync.status'],
      ['health', '.app.status.health.status'],
      ['revision', '.app.status.sync.revision'],
    ] as const)
      expect(body).toMatch(new RegExp(`"${key}": \\{\\{ ${source.replace(/\./g, '\\.')} .*toJson \\}\\}`));
    // The out-of-sync resources come from app.status.resources, filtered on their status.
    expect(body).toMatch(/"out_of_sync": \[.*range \.app\.status\.resources.*"OutOfSync"/);
    // Every interpolated value is JSON-encoded: a bare {{ .x }} between quotes could break the JSON.
    expect(body).not.toMatch(/"\{\{ ?\./);
  });

  it('the trigger waits out the grace period after a sync, fires once per revision and diff, and covers failed syncs', () => {
    const conditions = parse(data[`trigger.${DRIFT_TRIGGER}`] ?? '') as Json[];
    expect(conditions).toHaveLength(2);
    const [outOfSync, failed] = conditions;
    for (const condition of conditions) {
      expect(condition.send).toEqual([DRIFT_TEMPLATE]);
      expect(condition.when).toContain(
        `time.Now().Sub(time.Parse(app.status.operationState.finishedAt)).Minutes() >= ${DRIFT_GRACE_MINUTES}`,
      );
      expect(condition.oncePer).toContain('app.status.sync.revision');
      expect(condition.oncePer).toMatch(/filter\(app\.status\.resources .*'OutOfSync'/);
    }
    expect(outOfSync.when).toContain("app.status.sync.status == 'OutOfSync'");
    // A rollout (a new revision not yet synced) is not drift.
    expect(outOfSync.when).toContain('app.status.operationState.syncResult?.revision == app.status.sync.revision');
    expect(failed.when).toContain("app.status.operationState.phase in ['Error', 'Failed']");
    // Longer than a sync's retries (5 × at most 3 min, doubling from 10 s).
    expect(DRIFT_GRACE_MINUTES).toBeGreaterThanOrEqual(10);
  });

  it('every Application, the root included, subscribes to the trigger through the webhook', () => {
    const apps = find(objects, 'Application') as Json[];
    expect(apps.length).toBeGreaterThan(5);
    for (const app of apps)
      expect(app.metadata.annotations, app.metadata.name).toHaveProperty(
        [`notifications.argoproj.io/subscribe.${DRIFT_TRIGGER}.${DISPATCH_SERVICE}`],
        '',
      );
  });

  it("the token comes from its Secrets Manager secret through Argo CD's own store, into the Secret the controller reads", () => {
    const external = find(objects, 'ExternalSecret', NOTIFICATIONS_SECRET)[0] as Json;
    expect(external.metadata.namespace).toBe(names.argocdNamespace);
    expect(external.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: ARGOCD_SECRET_STORE });
    expect(external.spec.target.name).toBe(NOTIFICATIONS_SECRET);
    expect(external.spec.data).toEqual([
      { secretKey: DISPATCH_TOKEN_KEY, remoteRef: { key: names.argocdDispatchTokenSecretName, property: 'token' } },
    ]);
    // No other ExternalSecret reads the token, and none uses Argo CD's store.
    const others = (find(objects, 'ExternalSecret') as Json[]).filter((e) => e.metadata.name !== NOTIFICATIONS_SECRET);
    for (const other of others) {
      expect(other.spec.secretStoreRef.name, other.metadata.name).not.toBe(ARGOCD_SECRET_STORE);
      expect(JSON.stringify(other.spec), other.metadata.name).not.toContain(names.argocdDispatchTokenSecretName);
    }
  });

  it("Argo CD's store is usable from Argo CD's namespace only, as the role that reads the token alone; the shared store never from there", () => {
    const store = find(objects, 'ClusterSecretStore', ARGOCD_SECRET_STORE)[0] as Json;
    expect(store.spec.conditions).toEqual([{ namespaces: [names.argocdNamespace] }]);
    expect(store.spec.provider.aws).toEqual({
      service: 'SecretsManager',
      region: env.region,
      role: `arn:aws:iam::${env.account.id}:role/${names.argocdNotificationsSecretReaderRoleName}`,
    });
    const shared = find(objects, 'ClusterSecretStore', CLUSTER_SECRET_STORE)[0] as Json;
    expect(JSON.stringify(shared.spec.conditions)).not.toContain(`"${names.argocdNamespace}"`);
  });

  it("the notifications Application's project allows the ConfigMap and ExternalSecret in Argo CD's namespace, nothing else", () => {
    const app = find(objects, 'Application', 'argocd-notifications')[0] as Json;
    const project = find(objects, 'AppProject', app.spec.project)[0] as Json;
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: names.argocdNamespace },
    ]);
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([
      { group: '', kind: 'ConfigMap' },
      { group: 'external-secrets.io', kind: 'ExternalSecret' },
    ]);
  });
});
