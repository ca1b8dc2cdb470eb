/**
 * The root Application (app-of-apps on `deploy/rendered/<env>/`) and the `bootstrap` AppProject it belongs to, in
 * one place: the CDK side creates both once (infra/lib/constructs/argo-cd-bootstrap.ts), the render carries the
 * same two objects (deploy/src/charts/gitops.ts), and Argo CD's first sync of the root then changes nothing but the
 * render's labels and sync-wave annotations. Two definitions had drifted: the CDK copy used the `default` project
 * and no retry, so the first sync rewrote the root it was running from.
 */
import type { ResolvedEnvironment } from './load.ts';
import type { OrganizationConfig } from './schema.ts';

/** The cluster Argo CD runs in, as its Applications name it. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

interface Metadata {
  name: string;
  namespace: string;
  finalizers?: string[];
}

type ResourceKind = { group: string; kind: string };

export interface BootstrapProject {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'AppProject';
  metadata: Metadata;
  spec: {
    description: string;
    sourceRepos: string[];
    destinations: { server: string; namespace: string }[];
    clusterResourceWhitelist: ResourceKind[];
    namespaceResourceWhitelist: ResourceKind[];
  };
}

export interface RootApplication {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: Metadata;
  spec: {
    project: string;
    source: { repoURL: string; targetRevision: string; path: string; directory: { recurse: boolean } };
    destination: { server: string; namespace: string };
    syncPolicy: ReturnType<typeof syncPolicy>;
  };
}

/** Automated sync with prune and self-heal, server-side apply, and retries: every Application of the render. */
export function syncPolicy(extraOptions: string[] = []) {
  return {
    automated: { prune: true, selfHeal: true },
    syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', ...extraOptions],
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
  };
}

export function argocdBootstrap(
  env: ResolvedEnvironment,
  organization: OrganizationConfig,
): { project: BootstrapProject; root: RootApplication } {
  const { names } = env;
  const { git } = organization;
  const namespace = names.argocdNamespace;
  const project: BootstrapProject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'bootstrap', namespace },
    spec: {
      description: 'The root app-of-apps: Argo CD Applications, AppProjects and public repository declarations',
      sourceRepos: [git.repoUrl],
      destinations: [{ server: IN_CLUSTER, namespace }],
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: [
        { group: 'argoproj.io', kind: 'Application' },
        { group: 'argoproj.io', kind: 'AppProject' },
        // Repository declarations only (labelled argocd.argoproj.io/secret-type: repository), never credentials.
        { group: '', kind: 'Secret' },
      ],
    },
  };
  const root: RootApplication = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: names.argocdRootApplicationName,
      namespace,
      // Deleting an Application deletes what it deployed.
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: project.metadata.name,
      source: {
        repoURL: git.repoUrl,
        targetRevision: git.branch,
        path: names.renderedManifestsPath,
        // Top-level files only: the component folders belong to the child Applications (deploy/src/layout.ts).
        directory: { recurse: false },
      },
      destination: { server: IN_CLUSTER, namespace },
      syncPolicy: syncPolicy(),
    },
  };
  return { project, root };
}
