/**
 * The cluster add-ons Argo CD installs from pinned Helm chart versions (what the CDK side does not install as an
 * EKS managed add-on: vpc-cni, coredns, kube-proxy, pod identity agent, metrics-server are managed add-ons there).
 * Every service account name comes from `names.podIdentityServiceAccounts`, so the CDK side's Pod Identity
 * associations bind to exactly these; no role annotation is needed. Versions: ADR 0067 says where each was checked.
 */
import { addonImageValues, mergeValues } from '../addon-images.ts';
import type { DeployContext } from '../context.ts';
import { ecrRegistry } from '../images.ts';
import { ADOT_COLLECTOR, AMP_ENDPOINT_SECRET } from './observability.ts';
import { SYSTEM_NAMESPACES } from './system-namespaces.ts';

export interface AddonSpec {
  name: string;
  repoURL: string;
  chart: string;
  /** Exact chart version: never a range. */
  version: string;
  wave: number;
  namespace: (ctx: DeployContext) => string;
  values: (ctx: DeployContext) => Record<string, unknown>;
}

/**
 * Namespaces Gatekeeper's webhook ignores (labelled `admission.gatekeeper.sh/ignore`): the system ones only; its own
 * is handled by the chart. The log shipper's namespace is checked like any other (ADR 0065).
 */
function webhookExemptions(): string[] {
  return SYSTEM_NAMESPACES.filter((namespace) => namespace !== 'gatekeeper-system');
}

/** Karpenter controller and CRD chart move together (CRDs are coupled to the controller version). */
const KARPENTER_VERSION = '1.14.1';

/** The AWS Signer profile CI signs with; Ratify trusts signatures of this profile only. */
export function signingProfileArn(ctx: DeployContext): string {
  return `arn:aws:signer:${ctx.env.region}:${ctx.env.account.id}:/signing-profiles/${ctx.env.names.imageSigningProfileName}`;
}

/** Tolerate the system node group's taint so controllers can run before Karpenter has made any node. */
function systemTolerations(ctx: DeployContext) {
  const { taint } = ctx.env.names.systemNodes;
  return [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }];
}
const identity = (ctx: DeployContext, workload: keyof DeployContext['env']['names']['podIdentityServiceAccounts']) =>
  ctx.env.names.podIdentityServiceAccounts[workload];
const serviceAccount = (name: string) => ({ create: true, name, annotations: {} });

const CHARTS: AddonSpec[] = [
  {
    name: 'karpenter-crd',
    repoURL: 'public.ecr.aws/karpenter',
    chart: 'karpenter-crd',
    version: KARPENTER_VERSION,
    wave: 0,
    namespace: (ctx) => identity(ctx, 'karpenter').namespace,
    values: () => ({}),
  },
  {
    name: 'karpenter',
    repoURL: 'public.ecr.aws/karpenter',
    chart: 'karpenter',
    version: KARPENTER_VERSION,
    wave: 1,
    namespace: (ctx) => identity(ctx, 'karpenter').namespace,
    values: (ctx) => ({
      serviceAccount: serviceAccount(identity(ctx, 'karpenter').serviceAccount),
      settings: {
        clusterName: ctx.env.names.clusterName,
        interruptionQueue: ctx.env.names.karpenterInterruptionQueueName,
      },
      // Karpenter must not run on nodes it manages: it stays on the managed system node group.
      tolerations: systemTolerations(ctx),
      nodeSelector: { [ctx.env.names.systemNodes.label.key]: ctx.env.names.systemNodes.label.value },
      controller: { resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
    }),
  },
  {
    name: 'aws-load-balancer-controller',
    repoURL: 'https://aws.github.io/eks-charts',
    chart: 'aws-load-balancer-controller',
    // App v2.14.1: the first release whose `wafv2-acl-name` lookup works (v2.14.0 panics on it).
    version: '1.14.1',
    wave: 1,
    namespace: (ctx) => identity(ctx, 'awsLoadBalancerController').namespace,
    values: (ctx) => ({
      clusterName: ctx.env.names.clusterName,
      region: ctx.env.region,
      // IMDS is unreachable from pods (hop limit 1): the VPC is found by its Name tag.
      vpcTags: { Name: ctx.env.names.vpcName },
      serviceAccount: serviceAccount(identity(ctx, 'awsLoadBalancerController').serviceAccount),
      replicaCount: 2,
      tolerations: systemTolerations(ctx),
      enableServiceMutatorWebhook: false,
    }),
  },
  {
    name: 'external-dns',
    repoURL: 'https://kubernetes-sigs.github.io/external-dns/',
    chart: 'external-dns',
    version: '1.19.0',
    wave: 1,
    namespace: (ctx) => identity(ctx, 'externalDns').namespace,
    values: (ctx) => ({
      provider: { name: 'aws' },
      env: [{ name: 'AWS_DEFAULT_REGION', value: ctx.env.region }],
      // Zone-scoped: only the environment's own zone, and only records this cluster owns (TXT registry).
      domainFilters: [ctx.env.dns.zoneName],
      txtOwnerId: ctx.env.names.clusterName,
      policy: 'sync',
      sources: ['ingress'],
      serviceAccount: serviceAccount(identity(ctx, 'externalDns').serviceAccount),
      tolerations: systemTolerations(ctx),
    }),
  },
  {
    name: 'external-secrets',
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '0.19.2',
    wave: 1,
    namespace: (ctx) => identity(ctx, 'externalSecrets').namespace,
    values: (ctx) => ({
      installCRDs: true,
      serviceAccount: serviceAccount(identity(ctx, 'externalSecrets').serviceAccount),
      tolerations: systemTolerations(ctx),
      webhook: { tolerations: systemTolerations(ctx) },
      certController: { tolerations: systemTolerations(ctx) },
    }),
  },
  {
    name: 'argo-rollouts',
    repoURL: 'https://argoproj.github.io/argo-helm',
    chart: 'argo-rollouts',
    version: '2.40.1',
    wave: 1,
    namespace: (ctx) => identity(ctx, 'argoRollouts').namespace,
    values: (ctx) => ({
      installCRDs: true,
      // Its Pod Identity role may query AMP (aps:QueryMetrics) for the canary analysis, nothing else.
      serviceAccount: serviceAccount(identity(ctx, 'argoRollouts').serviceAccount),
      controller: { replicas: 2, tolerations: systemTolerations(ctx) },
      dashboard: { enabled: false },
    }),
  },
  {
    name: 'gatekeeper',
    repoURL: 'https://open-policy-agent.github.io/gatekeeper/charts',
    chart: 'gatekeeper',
    // Rego v1 in ConstraintTemplates (`code[].source.version: v1`) needs Gatekeeper 3.19 or newer.
    version: '3.21.1',
    wave: 1,
    namespace: () => 'gatekeeper-system',
    values: (ctx) => ({
      replicas: 3,
      // Fail closed: an unreachable webhook blocks admission rather than letting unchecked pods in.
      validatingWebhookFailurePolicy: 'Fail',
      enableExternalData: true,
      auditInterval: 300,
      // The same namespaces the constraints exempt are skipped by the webhook itself, so a Gatekeeper outage with
      // failurePolicy Fail can never block the control plane's own pods (CoreDNS, the CNI) from restarting.
      controllerManager: { tolerations: systemTolerations(ctx), exemptNamespaces: webhookExemptions() },
      postInstall: { labelNamespace: { enabled: true, extraNamespaces: webhookExemptions() } },
      audit: { tolerations: systemTolerations(ctx) },
    }),
  },
  {
    name: 'ratify',
    repoURL: 'https://notaryproject.github.io/ratify',
    chart: 'ratify',
    // Chart 1.15.7 = Ratify v1.4.6. Not 1.15.0: its Verifier template prefixes every trusted identity with
    // `x509.subject:`, so an AWS Signer profile ARN could never match (fixed in 1.15.1; ADR 0066).
    version: '1.15.7',
    wave: 2,
    namespace: (ctx) => identity(ctx, 'ratify').namespace,
    values: (ctx) => ratifyValues(ctx),
  },
  {
    name: 'adot-collector',
    repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    chart: 'opentelemetry-collector',
    version: '0.122.6',
    wave: 4,
    namespace: (ctx) => identity(ctx, 'adotCollector').namespace,
    values: (ctx) => adotValues(ctx),
  },
  {
    // Provisions the generated dashboards and data sources into Managed Grafana (charts/dashboards.ts, ADR 0131).
    name: 'grafana-operator',
    repoURL: 'ghcr.io/grafana/helm-charts',
    chart: 'grafana-operator',
    version: 'v5.18.0',
    wave: 1,
    namespace: () => 'grafana-operator',
    values: (ctx) => ({
      tolerations: systemTolerations(ctx),
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    }),
  },
  {
    name: 'fluent-bit',
    repoURL: 'https://fluent.github.io/helm-charts',
    chart: 'fluent-bit',
    version: '0.47.9',
    wave: 1,
    namespace: (ctx) => identity(ctx, 'fluentBit').namespace,
    values: (ctx) => ({
      serviceAccount: serviceAccount(identity(ctx, 'fluentBit').serviceAccount),
      tolerations: [{ operator: 'Exists' }],
      // What its exemptions allow and no more (ADR 0065): root, to read the root-owned logs under /var/log/pods
      // (the chart's default user); /var/log read-only, the only host path (containerd on AL2023 writes no
      // /var/lib/docker/containers, and the tail input keeps no offset database there); otherwise restricted.
      podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
      daemonSetVolumes: [{ name: 'varlog', hostPath: { path: '/var/log' } }],
      daemonSetVolumeMounts: [{ name: 'varlog', mountPath: '/var/log', readOnly: true }],
      // The chart's `helm test` pod (busybox by tag): Argo CD never runs it, and no image outside the table runs.
      testFramework: { enabled: false },
      config: {
        // Container logs only (the one output ships `kube.*`): every file it reads is under /var/log.
        inputs: [
          '[INPUT]',
          '    Name tail',
          '    Path /var/log/containers/*.log',
          '    multiline.parser docker, cri',
          '    Tag kube.*',
          '    Mem_Buf_Limit 5MB',
          '    Skip_Long_Lines On',
        ].join('\n'),
        outputs: [
          '[OUTPUT]',
          '    Name cloudwatch_logs',
          '    Match kube.*',
          `    region ${ctx.env.region}`,
          `    log_group_name ${ctx.env.names.containerLogGroupName}`,
          '    log_stream_prefix pod-',
          '    auto_create_group false',
        ].join('\n'),
      },
    }),
  },
];

/** Every add-on, its values with its images pinned from deploy/addon-images.yaml (src/addon-images.ts). */
export const ADDONS: AddonSpec[] = CHARTS.map((addon) => ({
  ...addon,
  values: (ctx: DeployContext) => mergeValues(addon.values(ctx), addonImageValues(addon.name, ctx.addonImages)),
}));

/** The IAM role Ratify assumes through IRSA (ADR 0066: its ECR auth provider needs web identity, not Pod Identity). */
export function ratifyRoleArn(ctx: DeployContext): string {
  return `arn:aws:iam::${ctx.env.account.id}:role/${ctx.env.names.ratifyIrsaRoleName}`;
}

/**
 * Ratify (chart 1.15.7; every key below exists in its values.yaml, which `make check-deploy-charts` proves): the
 * notation verifier trusts exactly one identity, the environment's AWS Signer profile, with AWS Signer's root as
 * signing authority, for exactly the API repository. Cosign is off: only Notation signatures count.
 */
function ratifyValues(ctx: DeployContext): Record<string, unknown> {
  const { signatureTrust } = ctx;
  return {
    serviceAccount: {
      create: true,
      name: identity(ctx, 'ratify').serviceAccount,
      annotations: { 'eks.amazonaws.com/role-arn': ratifyRoleArn(ctx) },
    },
    gatekeeper: { version: '3.21.1' },
    // The AWS Signer plugin is one binary per architecture: Ratify runs only where the pinned one can execute,
    // preferably on the system node group (tolerated) so admission works before Karpenter has made a node.
    tolerations: systemTolerations(ctx),
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: 'kubernetes.io/arch', operator: 'In', values: [signatureTrust.plugin.architecture] },
              ],
            },
          ],
        },
      },
    },
    // Ratify's ECR auth provider refuses to start a token request without AWS_REGION (ADR 0066).
    env: [{ name: 'AWS_REGION', value: ctx.env.region }],
    oras: { authProviders: { awsEcrBasicEnabled: true } },
    featureFlags: {
      // Dynamic plugins: how Ratify v1 loads a Notation plugin (the AWS Signer one) from an OCI artifact.
      RATIFY_EXPERIMENTAL_DYNAMIC_PLUGINS: true,
      // Ratify makes and rotates its own serving certificate and injects the CA into Gatekeeper's Provider. Without
      // it the chart refuses to render unless the TLS key is a value (a private key in Git) or its `lookup` finds
      // a Secret, which Argo CD's `helm template` never does (found by `helm template` in check-deploy-charts).
      RATIFY_CERT_ROTATION: true,
    },
    cosign: { enabled: false },
    // Empty until deploy/signature-trust.yaml has the root: the trust store then names a missing certificate and
    // Ratify fails every verification (closed), never open.
    notationCerts: signatureTrust.awsSignerRootPem === null ? [] : [signatureTrust.awsSignerRootPem],
    notation: {
      enabled: true,
      trustPolicies: [
        {
          name: 'api-signed-by-aws-signer',
          registryScopes: [`${ecrRegistry(ctx.env)}/${ctx.env.names.apiRepositoryName}`],
          // AWS Signer signatures chain to a signing authority (not a CA); the trusted identity is the profile ARN.
          trustStores: ['signingAuthority:notationCerts[0]'],
          trustedIdentities: [signingProfileArn(ctx)],
        },
      ],
    },
  };
}

/** The ADOT collector: OTLP in, traces to X-Ray, Prometheus scrape of annotated pods, remote write to AMP. */
function adotValues(ctx: DeployContext): Record<string, unknown> {
  const { region } = ctx.env;
  return {
    mode: 'deployment',
    replicaCount: 2,
    // Both: `fullnameOverride` names the Service the API sends OTLP to, `nameOverride` sets the pods'
    // `app.kubernetes.io/name`, which the API namespace's NetworkPolicies select.
    nameOverride: ADOT_COLLECTOR.name,
    fullnameOverride: ADOT_COLLECTOR.name,
    // The Prometheus receiver discovers pods to scrape through the Kubernetes API.
    clusterRole: {
      create: true,
      rules: [
        { apiGroups: [''], resources: ['pods', 'nodes', 'endpoints', 'services'], verbs: ['get', 'list', 'watch'] },
        // The kubelets' cAdvisor metrics, read through the API server's node proxy (container CPU and memory).
        { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
      ],
    },
    command: { name: 'awscollector' },
    serviceAccount: serviceAccount(identity(ctx, 'adotCollector').serviceAccount),
    tolerations: systemTolerations(ctx),
    // The chart sets no security context; the cluster-wide pod-security constraints (ADR 0065) require one.
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    extraEnvs: [{ name: 'AMP_ENDPOINT', valueFrom: { secretKeyRef: { name: AMP_ENDPOINT_SECRET, key: 'endpoint' } } }],
    config: {
      extensions: { sigv4auth: { region, service: 'aps' } },
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `0.0.0.0:${ADOT_COLLECTOR.otlpGrpcPort}` },
            http: { endpoint: `0.0.0.0:${ADOT_COLLECTOR.otlpHttpPort}` },
          },
        },
        prometheus: {
          config: {
            scrape_configs: [
              {
                job_name: 'kubernetes-pods',
                kubernetes_sd_configs: [{ role: 'pod' }],
                relabel_configs: [
                  {
                    source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
                    action: 'keep',
                    regex: 'true',
                  },
                  {
                    source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
                    action: 'replace',
                    regex: '([^:]+)(?::\\d+)?;(\\d+)',
                    replacement: '$$1:$$2',
                    target_label: '__address__',
                  },
                  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
                  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
                  // How the canary analysis tells canary pods from stable ones.
                  {
                    source_labels: ['__meta_kubernetes_pod_label_rollouts_pod_template_hash'],
                    target_label: 'rollouts_pod_template_hash',
                  },
                ],
              },
              {
                // Karpenter's controller metrics (nodes, NodePool usage against limits, node claims) for the
                // Cluster dashboard; its Service exposes them on the port named http-metrics.
                job_name: 'karpenter',
                kubernetes_sd_configs: [
                  { role: 'endpoints', namespaces: { names: [identity(ctx, 'karpenter').namespace] } },
                ],
                relabel_configs: [
                  {
                    source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
                    action: 'keep',
                    regex: 'karpenter;http-metrics',
                  },
                ],
              },
              {
                // Container CPU and memory from each kubelet's cAdvisor through the API server (no node port
                // opened); only the two series the dashboards use are kept, to keep AMP samples (cost) small.
                job_name: 'kubelet-cadvisor',
                scheme: 'https',
                kubernetes_sd_configs: [{ role: 'node' }],
                authorization: { credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
                tls_config: { ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
                relabel_configs: [
                  { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
                  {
                    source_labels: ['__meta_kubernetes_node_name'],
                    target_label: '__metrics_path__',
                    regex: '(.+)',
                    replacement: '/api/v1/nodes/$$1/proxy/metrics/cadvisor',
                  },
                ],
                metric_relabel_configs: [
                  {
                    source_labels: ['__name__'],
                    action: 'keep',
                    regex: 'container_cpu_usage_seconds_total|container_memory_working_set_bytes',
                  },
                ],
              },
            ],
          },
        },
      },
      processors: { batch: {} },
      exporters: {
        prometheusremotewrite: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the collector expands ${env:…} at start, not JS.
          endpoint: '${env:AMP_ENDPOINT}api/v1/remote_write',
          auth: { authenticator: 'sigv4auth' },
        },
        awsxray: { region },
      },
      service: {
        extensions: ['sigv4auth', 'health_check'],
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['awsxray'] },
          metrics: { receivers: ['prometheus', 'otlp'], processors: ['batch'], exporters: ['prometheusremotewrite'] },
        },
      },
    },
  };
}
