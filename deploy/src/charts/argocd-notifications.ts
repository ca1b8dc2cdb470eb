/**
 * Argo CD's half of the drift report (Argo CD Application `argocd-notifications`): the notifications controller's
 * ConfigMap and Secret. When an Application stays OutOfSync after a finished sync of the revision it compares
 * against, or its sync has failed, for longer than the grace period, the controller calls GitHub's
 * repository_dispatch API (event `argocd-drift`); `.github/workflows/drift.yml` validates the payload and opens or
 * updates the environment's drift issue. No CI identity reaches the cluster: the cluster reports out (ADR 0092).
 *
 * The token comes from Secrets Manager (`names.argocdDispatchTokenSecretName`) through External Secrets and the
 * argocd namespace's own store (platform.ts), never from Git. The Argo CD Helm release creates neither object
 * (infra/lib/constructs/argo-cd-bootstrap.ts), so Git is their only owner.
 */
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { Construct } from 'constructs';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { stringify } from 'yaml';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
import { componentFile } from '../layout.ts';

/** Names the notifications controller reads by default (argocd-notifications-cm / -secret). */
export const NOTIFICATIONS_CONFIGMAP = 'argocd-notifications-cm';
export const NOTIFICATIONS_SECRET = 'argocd-notifications-secret';
/** The argocd namespace's ClusterSecretStore: it reads only the dispatch token (platform.ts). */
export const ARGOCD_SECRET_STORE = 'argocd-notifications';
/** Key of the token inside the Secret; the webhook's Authorization header names it as `$<key>`. */
export const DISPATCH_TOKEN_KEY = 'github-dispatch-token';
/** The repository_dispatch event type drift.yml listens for. */
export const DRIFT_EVENT_TYPE = 'argocd-drift';
export const DRIFT_TRIGGER = 'on-drift';
export const DRIFT_TEMPLATE = 'argocd-drift-dispatch';
export const DISPATCH_SERVICE = 'github-dispatch';
/** The annotation that subscribes an Application to the trigger through the webhook (every rendered Application). */
export const DRIFT_SUBSCRIPTION = { [`notifications.argoproj.io/subscribe.${DRIFT_TRIGGER}.${DISPATCH_SERVICE}`]: '' };
/**
 * Minutes an Application may stay OutOfSync after its last sync finished (or after a failed sync) before it counts as
 * drift. Longer than a sync's five retries (10 s doubling, at most 3 min each: about 5 min), so a normal rollout or
 * a retried sync never reports; short enough that a real drift reaches the issue within the hour.
 */
export const DRIFT_GRACE_MINUTES = 15;

/** The sync's finish is at least the grace period ago (expr, Argo CD's trigger language). */
const afterGrace = `time.Now().Sub(time.Parse(app.status.operationState.finishedAt)).Minutes() >= ${DRIFT_GRACE_MINUTES}`;
/**
 * The revision plus every OutOfSync resource: the trigger fires once per distinct drift, again only when the
 * revision or the set of drifted resources changes.
 */
const revisionAndDiff =
  "(app.status.sync.revision ?? '') + ' ' + join(map(filter(app.status.resources ?? [], {.status == 'OutOfSync'}), " +
  "{(.group ?? '') + '/' + .kind + '/' + (.namespace ?? '') + '/' + .name}), ',')";

/** The trigger's two conditions: still OutOfSync after a finished sync of the compared revision; a failed sync. */
export function driftTrigger(): { description: string; when: string; oncePer: string; send: string[] }[] {
  return [
    {
      description: `OutOfSync for ${DRIFT_GRACE_MINUTES} minutes after a successful sync of the revision it compares against`,
      // The synced revision must equal the compared one: while a new commit waits for its sync (a normal
      // rollout), the app is OutOfSync against a revision nobody has synced yet, and that is not drift.
      when: [
        "app.status.sync.status == 'OutOfSync'",
        'app.status.operationState != nil',
        "app.status.operationState.phase == 'Succeeded'",
        'app.status.operationState.syncResult?.revision == app.status.sync.revision',
        afterGrace,
      ].join(' and '),
      oncePer: revisionAndDiff,
      send: [DRIFT_TEMPLATE],
    },
    {
      description: `Sync failed (after its retries) ${DRIFT_GRACE_MINUTES} minutes ago and nothing has synced since`,
      when: [
        'app.status.operationState != nil',
        "app.status.operationState.phase in ['Error', 'Failed']",
        afterGrace,
      ].join(' and '),
      oncePer: revisionAndDiff,
      send: [DRIFT_TEMPLATE],
    },
  ];
}

/**
 * The request body (Go text/template with Sprig, as the notifications controller renders it). Every value goes
 * through toJson, so a name or message can never break the JSON. GitHub allows at most ten top-level
 * client_payload keys.
 */
export function driftDispatchBody(): string {
  const outOfSync = [
    '{{- $first := true }}',
    '{{- range .app.status.resources }}',
    '{{- if eq (toString .status) "OutOfSync" }}',
    '{{- if not $first }},{{ end }}{{ $first = false }}',
    '{"group": {{ .group | default "" | toJson }}, "kind": {{ .kind | toJson }}, ',
    '"namespace": {{ .namespace | default "" | toJson }}, "name": {{ .name | toJson }}}',
    '{{- end }}',
    '{{- end }}',
  ].join('');
  return [
    '{',
    `  "event_type": "${DRIFT_EVENT_TYPE}",`,
    '  "client_payload": {',
    '    "environment": {{ .context.environment | toJson }},',
    '    "application": {{ .app.metadata.name | toJson }},',
    '    "sync_status": {{ .app.status.sync.status | toJson }},',
    '    "health": {{ .app.status.health.status | toJson }},',
    '    "revision": {{ .app.status.sync.revision | default "" | toJson }},',
    '    "operation": {{ with .app.status.operationState }}{{ .phase | toJson }}{{ else }}null{{ end }},',
    '    "message": {{ with .app.status.operationState }}{{ .message | default "" | toJson }}{{ else }}""{{ end }},',
    `    "out_of_sync": [${outOfSync}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export class ArgoCdNotificationsChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'argocd-notifications', componentFile(ctx, 'argocd-notifications'));
    const { names } = ctx.env;
    const { git } = ctx.organization;
    const namespace = names.argocdNamespace;
    const labels = commonLabels(ctx, 'argocd-notifications');
    const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });
    // Every scalar quoted: a YAML 1.1 reader (Go's) would take the API version 2022-11-28 for a date.
    const quotedYaml = (value: unknown) =>
      stringify(value, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });

    this.add<IExternalSecret>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: NOTIFICATIONS_SECRET, namespace, labels },
      spec: {
        // A replaced token (docs/deployment.md, rotation) arrives within the hour.
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: ARGOCD_SECRET_STORE },
        target: { name: NOTIFICATIONS_SECRET, creationPolicy: 'Owner' },
        data: [
          {
            secretKey: DISPATCH_TOKEN_KEY,
            remoteRef: { key: names.argocdDispatchTokenSecretName, property: 'token' },
          },
        ],
      },
    });

    this.add<IConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: NOTIFICATIONS_CONFIGMAP, namespace, labels },
      data: {
        context: quotedYaml({ environment: ctx.env.name }),
        [`service.webhook.${DISPATCH_SERVICE}`]: quotedYaml({
          url: `https://api.github.com/repos/${git.githubOwner}/${git.githubRepo}/dispatches`,
          headers: [
            { name: 'Accept', value: 'application/vnd.github+json' },
            { name: 'Content-Type', value: 'application/json' },
            { name: 'X-GitHub-Api-Version', value: '2022-11-28' },
            { name: 'Authorization', value: `Bearer $${DISPATCH_TOKEN_KEY}` },
          ],
        }),
        [`template.${DRIFT_TEMPLATE}`]: yaml({
          webhook: { [DISPATCH_SERVICE]: { method: 'POST', body: driftDispatchBody() } },
        }),
        [`trigger.${DRIFT_TRIGGER}`]: yaml(driftTrigger()),
      },
    });
  }
}
