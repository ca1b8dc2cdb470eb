/**
 * Argo CD, installed once by CloudFormation through the cluster's kubectl provider (Helm), and the root
 * "app-of-apps" Application that syncs `deploy/rendered/<env>/` from Git (ADR 0023). Everything else in the cluster,
 * Argo CD's own later upgrades included, comes from Git through that Application.
 */
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { SYSTEM_NODE_TAINT } from './eks-cluster.ts';

/** The Argo CD Helm chart, pinned. Upgrades after bootstrap are Git changes under deploy/, not CDK changes. */
export const ARGO_CD_CHART = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '9.4.0',
} as const;

export interface ArgoCdBootstrapProps {
  cluster: eks.ICluster;
  /** Namespace Argo CD runs in (config `names.argocdNamespace`). */
  namespace: string;
  /** Git repository, branch and path the root Application syncs. */
  repoUrl: string;
  revision: string;
  path: string;
}

export class ArgoCdBootstrap extends Construct {
  readonly rootApplication: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ArgoCdBootstrapProps) {
    super(scope, id);
    const onSystemNodes = {
      nodeSelector: { 'innovate.io/node-role': 'system' },
      tolerations: [
        { key: SYSTEM_NODE_TAINT.key, operator: 'Equal', value: SYSTEM_NODE_TAINT.value, effect: 'NoSchedule' },
      ],
    };
    const chart = props.cluster.addHelmChart('ArgoCd', {
      ...ARGO_CD_CHART,
      release: 'argo-cd',
      namespace: props.namespace,
      createNamespace: true,
      wait: true,
      values: {
        global: onSystemNodes,
        // Sign-in goes through the Argo CD CLI/UI over port-forward or an internal ingress added from Git; no Dex.
        dex: { enabled: false },
        server: { service: { type: 'ClusterIP' } },
        configs: { params: { 'application.namespaces': props.namespace } },
      },
    });

    this.rootApplication = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'root',
        namespace: props.namespace,
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'default',
        source: {
          repoURL: props.repoUrl,
          targetRevision: props.revision,
          path: props.path,
          directory: { recurse: true },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: props.namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    };
    const root = props.cluster.addManifest('RootApplication', this.rootApplication);
    root.node.addDependency(chart);
  }
}
