/**
 * Argo CD objects of one environment (files at the top of deploy/rendered/<env>/, which the root Application
 * syncs without recursion): the AppProjects (least privilege), the self-managing root Application, and one
 * Application per add-on (Helm chart at a pinned version) and per rendered folder. Sync waves order them
 * CRDs → controllers → policies → platform objects → workloads.
 */

import { argocdBootstrap, IN_CLUSTER, syncPolicy } from '@innovate/config';
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import type { IAppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import type { Construct } from 'constructs';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
import { componentDir, rootFile } from '../layout.ts';
import { ADDONS, type AddonSpec } from './addons.ts';
import { API } from './api-workload.ts';
import { DRIFT_SUBSCRIPTION } from './argocd-notifications.ts';

/** Sync waves of the root Application's children. */
export const WAVES = {
  projects: -1,
  crds: 0,
  controllers: 1,
  policies: 2,
  platform: 3,
  telemetry: 4,
  // After platform, whose store the notifications Secret is read through.
  notifications: 4,
  apiBase: 5,
  api: 6,
};

type ResourceKind = { group: string; kind: string };

/** Argo CD's built-in project: rendered empty, and no Application may use it. */
export const DEFAULT_PROJECT = 'default';

export class GitOpsChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'gitops', rootFile(ctx, 'argocd.yaml'));
    const { names } = ctx.env;
    const { git } = ctx.organization;
    const namespace = names.argocdNamespace;
    const labels = commonLabels(ctx, 'argocd');
    const addonRepos = [...new Set(ADDONS.map((addon) => addon.repoURL))].sort();
    const addonNamespaces = [...new Set(ADDONS.map((addon) => addon.namespace(ctx)))].sort();
    const wave = (value: number) => ({ 'argocd.argoproj.io/sync-wave': String(value) });

    // Only Applications and AppProjects, only in Argo CD's namespace, only from this repository. The root and its
    // project are the ones the CDK side creates (one definition, @innovate/config argocdBootstrap).
    const bootstrap = argocdBootstrap(ctx.env, ctx.organization);
    this.add<IAppProject>({
      ...bootstrap.project,
      metadata: { ...bootstrap.project.metadata, labels, annotations: wave(WAVES.projects) },
    });

    // Argo CD creates a `default` project that may deploy anything from anywhere to anywhere, cluster-scoped
    // objects included; an Application naming it (or none) would bypass every project below. Rendered explicitly
    // so Git, not Argo CD's built-in default, decides what it allows: nothing.
    this.add<IAppProject>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: DEFAULT_PROJECT, namespace, labels, annotations: wave(WAVES.projects) },
      spec: {
        description: 'Argo CD built-in project, emptied: no sources, no destinations, no resources',
        sourceRepos: [],
        sourceNamespaces: [],
        destinations: [],
        clusterResourceWhitelist: [],
        namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
      },
    });

    // OCI Helm repositories (Karpenter's charts) must be declared to Argo CD; they are public, so no credentials.
    for (const repoURL of addonRepos.filter((url) => !url.startsWith('https://'))) {
      this.add<ISecret>({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: `helm-oci-${repoURL.replace(/[^a-z0-9]+/g, '-')}`,
          namespace,
          labels: { ...labels, 'argocd.argoproj.io/secret-type': 'repository' },
          annotations: wave(WAVES.projects),
        },
        type: 'Opaque',
        stringData: { type: 'helm', enableOCI: 'true', name: repoURL, url: repoURL },
      });
    }

    const platformClusterKinds: ResourceKind[] = [
      { group: '', kind: 'Namespace' },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
      { group: 'networking.k8s.io', kind: 'IngressClass' },
      { group: 'elbv2.k8s.aws', kind: 'IngressClassParams' },
      { group: 'scheduling.k8s.io', kind: 'PriorityClass' },
      { group: 'karpenter.sh', kind: 'NodePool' },
      { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' },
      { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
      { group: 'templates.gatekeeper.sh', kind: 'ConstraintTemplate' },
      { group: 'constraints.gatekeeper.sh', kind: '*' },
      { group: 'externaldata.gatekeeper.sh', kind: 'Provider' },
      { group: 'config.ratify.deislabs.io', kind: '*' },
    ];
    this.add<IAppProject>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'platform', namespace, labels, annotations: wave(WAVES.projects) },
      spec: {
        description: 'Cluster add-ons (pinned Helm charts) and cluster-wide platform objects',
        sourceRepos: [git.repoUrl, ...addonRepos],
        destinations: [...addonNamespaces, names.podIdentityServiceAccounts.adotCollector.namespace]
          .filter((value, index, all) => all.indexOf(value) === index)
          .sort()
          .map((ns) => ({ server: IN_CLUSTER, namespace: ns })),
        clusterResourceWhitelist: platformClusterKinds,
      },
    });

    // Argo CD's notification settings: the ConfigMap and the ExternalSecret of its token, in Argo CD's namespace
    // only. Not the bootstrap project (Applications, AppProjects and repository declarations only) and not
    // `platform` (any kind in Argo CD's namespace would let a chart rewrite Argo CD).
    this.add<IAppProject>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'argocd-notifications', namespace, labels, annotations: wave(WAVES.projects) },
      spec: {
        description: "Argo CD notifications: its ConfigMap and its token's ExternalSecret, in Argo CD's namespace",
        sourceRepos: [git.repoUrl],
        destinations: [{ server: IN_CLUSTER, namespace }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [
          { group: '', kind: 'ConfigMap' },
          { group: 'external-secrets.io', kind: 'ExternalSecret' },
        ],
      },
    });

    // The application team's project: its namespace only, and no cluster-scoped kind but that Namespace.
    this.add<IAppProject>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'workloads', namespace, labels, annotations: wave(WAVES.projects) },
      spec: {
        description: 'Application workloads (the API)',
        sourceRepos: [git.repoUrl],
        destinations: [{ server: IN_CLUSTER, namespace: names.apiNamespace }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
        namespaceResourceWhitelist: [
          { group: '', kind: 'Service' },
          { group: '', kind: 'ServiceAccount' },
          { group: 'apps', kind: 'ReplicaSet' },
          { group: 'batch', kind: 'Job' },
          // The Idempotency-Key purge (api chart).
          { group: 'batch', kind: 'CronJob' },
          { group: 'networking.k8s.io', kind: 'Ingress' },
          { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
          { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
          { group: 'policy', kind: 'PodDisruptionBudget' },
          { group: 'argoproj.io', kind: 'Rollout' },
          { group: 'argoproj.io', kind: 'AnalysisTemplate' },
          { group: 'external-secrets.io', kind: 'ExternalSecret' },
          // The off-hours Jobs' right to scale the API's Rollout (api-off-hours.ts): namespaced, this namespace only.
          { group: 'rbac.authorization.k8s.io', kind: 'Role' },
          { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
        ],
      },
    });

    const application = (name: string, waveValue: number, spec: IApplication['spec']): void => {
      this.add<IApplication>({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name,
          namespace,
          labels,
          // Every Application reports its drift (argocd-notifications.ts).
          annotations: { ...wave(waveValue), ...DRIFT_SUBSCRIPTION },
          // Deleting an Application deletes what it deployed.
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec,
      });
    };
    const folder = (component: string) => ({
      repoURL: git.repoUrl,
      targetRevision: git.branch,
      path: componentDir(ctx, component),
    });

    // The root: the CDK side creates it once; from then on it manages itself from Git. Its folder holds Argo CD
    // objects only (deploy/src/layout.ts).
    this.add<IApplication>({
      ...bootstrap.root,
      metadata: { ...bootstrap.root.metadata, labels, annotations: { ...wave(WAVES.projects), ...DRIFT_SUBSCRIPTION } },
    });

    for (const addon of ADDONS) application(addon.name, addon.wave, helmApplication(ctx, addon, syncPolicy()));

    application('policies', WAVES.policies, {
      project: 'platform',
      source: folder('policies'),
      destination: { server: IN_CLUSTER, namespace: 'gatekeeper-system' },
      syncPolicy: syncPolicy(),
    });
    application('platform', WAVES.platform, {
      project: 'platform',
      source: folder('platform'),
      destination: { server: IN_CLUSTER, namespace: names.podIdentityServiceAccounts.adotCollector.namespace },
      syncPolicy: syncPolicy(),
    });
    application('argocd-notifications', WAVES.notifications, {
      project: 'argocd-notifications',
      source: folder('argocd-notifications'),
      destination: { server: IN_CLUSTER, namespace },
      syncPolicy: syncPolicy(),
    });
    application('api-base', WAVES.apiBase, {
      project: 'workloads',
      source: folder('api-base'),
      destination: { server: IN_CLUSTER, namespace: names.apiNamespace },
      syncPolicy: syncPolicy(),
    });
    application('api', WAVES.api, {
      project: 'workloads',
      source: folder('api'),
      destination: { server: IN_CLUSTER, namespace: names.apiNamespace },
      // Argo Rollouts writes the weighted forward action onto the Ingress and pins each Service to a ReplicaSet:
      // exactly those fields are its own, everything else stays Git's.
      ignoreDifferences: [
        {
          group: 'networking.k8s.io',
          kind: 'Ingress',
          name: API.ingress,
          jqPathExpressions: [
            `.metadata.annotations["alb.ingress.kubernetes.io/actions.${API.stableService}"]`,
            `.metadata.annotations["alb.ingress.kubernetes.io/conditions.${API.stableService}"]`,
          ],
        },
        {
          group: '',
          kind: 'Service',
          jqPathExpressions: [
            '.spec.selector["rollouts-pod-template-hash"]',
            '.metadata.annotations["argo-rollouts.argoproj.io/managed-by-rollouts"]',
          ],
        }, // The HPA and the off-hours Jobs set the replicas (the render has none); a sync never resets them.
        { group: 'argoproj.io', kind: 'Rollout', name: API.name, jsonPointers: ['/spec/replicas'] },
      ],
      syncPolicy: syncPolicy(['RespectIgnoreDifferences=true']),
    });
  }
}

function helmApplication(
  ctx: DeployContext,
  addon: AddonSpec,
  syncPolicy: IApplication['spec']['syncPolicy'],
): IApplication['spec'] {
  return {
    project: 'platform',
    source: {
      repoURL: addon.repoURL,
      chart: addon.chart,
      targetRevision: addon.version,
      helm: { releaseName: addon.name, valuesObject: addon.values(ctx) },
    },
    destination: { server: IN_CLUSTER, namespace: addon.namespace(ctx) },
    syncPolicy,
  };
}
