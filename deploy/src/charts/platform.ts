/**
 * Cluster-wide objects the workloads depend on (Argo CD Application `platform`): Karpenter's NodePool and
 * EC2NodeClass, the ClusterSecretStores External Secrets reads Secrets Manager and Parameter Store through, the
 * observability namespace with the AMP endpoint secret the collector needs; and the Ratify Verifier that downloads
 * the AWS Signer Notation plugin (after the Ratify chart has installed its CRDs: platform syncs one wave later).
 */
import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { IEC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass';
import type { INodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import type { Construct } from 'constructs';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { RenderedChart } from '../chart.ts';
import { commonLabels, type DeployContext } from '../context.ts';
import { componentFile } from '../layout.ts';
import { AWS_SIGNER_PLUGIN, type IVerifier } from '../models/ratify.ts';
import { addonNetworkPolicies } from './addon-network-policies.ts';
import { API } from './api-workload.ts';
import { ARGOCD_SECRET_STORE } from './argocd-notifications.ts';
import { AMP_ENDPOINT_SECRET } from './observability.ts';

export const CLUSTER_SECRET_STORE = 'aws-secrets-manager';
/**
 * Pinned EKS-optimized AL2023 AMI release (Karpenter `alias`): nodes change only when this line changes in a PR,
 * and `expireAfter` rotates them onto it (requirement EKS-6: weekly patched AMIs).
 */
export const NODE_AMI_ALIAS = 'al2023@v20260903';

export class PlatformChart extends RenderedChart {
  constructor(scope: Construct, ctx: DeployContext) {
    super(scope, 'platform', componentFile(ctx, 'platform'));
    const { names, cluster } = ctx.env;
    const discovery = { [names.karpenterDiscoveryTag.key]: names.karpenterDiscoveryTag.value };

    this.add<IEC2NodeClass>({
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'default', labels: commonLabels(ctx, 'karpenter') },
      spec: {
        role: names.karpenterNodeRoleName,
        amiSelectorTerms: [{ alias: NODE_AMI_ALIAS }],
        // The private-app subnets carry the discovery tag (CDK network stack).
        subnetSelectorTerms: [{ tags: discovery }],
        // The cluster security group EKS creates and tags with the cluster name: node ↔ control plane, node ↔ node,
        // and the one source the database's security group admits on 5432 (CDK cluster stack).
        securityGroupSelectorTerms: [{ tags: { 'aws:eks:cluster-name': names.clusterName } }],
        // IMDSv2 only, and not reachable from pods (hop limit 1): pods use Pod Identity, never the node role.
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpProtocolIPv6: 'disabled',
          httpPutResponseHopLimit: 1,
          httpTokens: 'required',
        },
        blockDeviceMappings: [
          {
            deviceName: '/dev/xvda',
            rootVolume: true,
            ebs: { volumeSize: '50Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
          },
        ],
        tags: { ...ctx.env.tags, Name: `${names.prefix}-karpenter-node` },
      },
    });

    this.add<INodePool>({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'default', labels: commonLabels(ctx, 'karpenter') },
      spec: {
        template: {
          metadata: { labels: { 'cost-center': ctx.env.tags['cost-center'] } },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            // Spot first where it fits (Karpenter prefers the cheaper capacity type), on-demand as fallback;
            // Graviton only: every image is published for arm64 and Graviton costs less per vCPU than the
            // same-generation x86 types (ADR 0083); general, compute and memory families of generation 7 or newer.
            requirements: [
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
              { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
              { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['m', 'c', 'r'] },
              { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['6'] },
            ],
            expireAfter: cluster.karpenter.expireAfter,
            // A drain waits for PDBs, but not forever: a node is reclaimed at most this long after it started.
            terminationGracePeriod: '1h',
          },
        },
        disruption: {
          consolidationPolicy: 'WhenEmptyOrUnderutilized',
          consolidateAfter: cluster.karpenter.consolidateAfter,
          // At most 10% of nodes disrupted at once; drift replacements (e.g. a new AMI pin) one node at a time.
          budgets: [{ nodes: '10%' }, { nodes: '1', reasons: ['Drifted'] }],
        },
        limits: { cpu: String(cluster.karpenter.cpuLimit), memory: `${cluster.karpenter.memoryLimitGiB}Gi` },
      },
    });

    // The controller's Pod Identity role can read only `names.secretsPathPrefix`; `conditions` further limits
    // which namespaces may use the store at all.
    this.add<IClusterSecretStore>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: CLUSTER_SECRET_STORE, labels: commonLabels(ctx, 'external-secrets') },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: ctx.env.region } },
        conditions: [
          {
            namespaces: [names.apiNamespace, names.podIdentityServiceAccounts.adotCollector.namespace],
          },
        ],
      },
    });

    // Argo CD's namespace gets its own store, read as its own role: the GitHub dispatch token and nothing else
    // (infra ArgoCdNotificationsSecretReader; the controller's own role is denied that secret, so the store above can
    // never hand it to the API or observability namespaces).
    this.add<IClusterSecretStore>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: ARGOCD_SECRET_STORE, labels: commonLabels(ctx, 'external-secrets') },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager',
            region: ctx.env.region,
            role: `arn:aws:iam::${ctx.env.account.id}:role/${names.argocdNotificationsSecretReaderRoleName}`,
          },
        },
        conditions: [{ namespaces: [names.argocdNamespace] }],
      },
    });

    // The sign-in issuer and client id are String parameters in Parameter Store, under `names.authParameterPath`,
    // which is all the controller's role may read there; only the API's namespace may use this store.
    this.add<IClusterSecretStore>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: API.parameterStore, labels: commonLabels(ctx, 'external-secrets') },
      spec: {
        provider: { aws: { service: 'ParameterStore', region: ctx.env.region } },
        conditions: [{ namespaces: [names.apiNamespace] }],
      },
    });

    const observability = names.podIdentityServiceAccounts.adotCollector.namespace;
    this.add<INamespace>({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: observability, labels: commonLabels(ctx, 'observability') },
    });
    this.add<IExternalSecret>({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: AMP_ENDPOINT_SECRET, namespace: observability, labels: commonLabels(ctx, 'observability') },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: CLUSTER_SECRET_STORE },
        target: { name: AMP_ENDPOINT_SECRET, creationPolicy: 'Owner' },
        data: [{ secretKey: 'endpoint', remoteRef: { key: names.ampEndpointSecretName } }],
      },
    });

    // Default deny in every add-on namespace we own, with the allows its add-ons need.
    for (const policy of addonNetworkPolicies(ctx)) this.add(policy);

    // Ratify v1 has no other way to load a Notation plugin than a Verifier with a `source` (ADR 0066; Ratify's
    // AWS Signer guide): it downloads the artifact to its plugin folder under the Verifier's name, which is the
    // file name the notation verifier looks the plugin up by. The artifact type is one no referrer of our images
    // has, so this Verifier itself never votes. Not rendered until the digest is pinned (fail closed meanwhile).
    const plugin = ctx.signatureTrust.plugin;
    if (plugin.digest !== null) {
      this.add<IVerifier>({
        apiVersion: 'config.ratify.deislabs.io/v1beta1',
        kind: 'Verifier',
        metadata: { name: 'aws-signer-notation-plugin', labels: commonLabels(ctx, 'ratify') },
        spec: {
          name: AWS_SIGNER_PLUGIN,
          artifactTypes: 'application/vnd.oci.image.manifest.v1+json',
          source: { artifact: `${plugin.repository}@${plugin.digest}` },
        },
      });
    }
  }
}
