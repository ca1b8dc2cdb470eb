/**
 * NetworkPolicies of the add-on namespaces we own (rendered with the platform objects; the API's own are in
 * network-policies.ts): in each, deny everything both ways, then allow only what its add-ons need — DNS, the API
 * server and the interface endpoints (both in the private-app subnets), the Pod Identity agent, the admission
 * webhooks the control plane calls, and the named extras below. Ports are the charts' documented defaults at the
 * pinned versions (ADR 0061).
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import { commonLabels, type DeployContext } from '../context.ts';
import { ADDONS } from './addons.ts';
import { API } from './api-workload.ts';
import { DNS_EGRESS, endpointSubnets, POD_IDENTITY_AGENT_CIDR } from './network-policies.ts';
import { ADOT_COLLECTOR } from './observability.ts';

/** Namespaces add-ons run in that are not ours to police, each with the reason. */
export const NOT_OWNED_NAMESPACES: Record<string, string> = {
  'kube-system':
    'EKS owns it: the managed add-ons (VPC CNI, CoreDNS, kube-proxy, Pod Identity agent) run there and are ' +
    'configured by the CDK side; Karpenter and the AWS Load Balancer Controller share it and are not isolated',
  argocd:
    "Argo CD is installed by the CDK side's Helm release (ADR 0023); its NetworkPolicies belong to that release, " +
    'not to a render Argo CD itself syncs (a wrong policy here would cut Argo CD off from the fix)',
};

interface NamespaceTraffic {
  /** What runs there (for the reader and the ADR). */
  runs: string;
  /** Uses EKS Pod Identity (the agent on 169.254.170.23:80). */
  podIdentity: boolean;
  /** Why the add-ons must reach HTTPS outside the VPC (AWS APIs without an interface endpoint, public registries). */
  outsideVpcHttps?: string;
  /** Container ports of admission webhooks the API server calls (from its network interfaces in the app subnets). */
  webhookPorts?: number[];
  /** Further allows, each named. */
  extra?: (ctx: DeployContext) => Record<string, INetworkPolicy['spec']>;
}

const namespaceIs = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

/** Every add-on namespace we own, by name. A namespace an add-on deploys to that is in neither list fails the render. */
export const NAMESPACE_TRAFFIC: Record<string, NamespaceTraffic> = {
  'external-dns': {
    runs: 'ExternalDNS',
    podIdentity: true,
    outsideVpcHttps: 'Route 53 has no interface endpoint',
  },
  'external-secrets': {
    runs: 'External Secrets controller, webhook and cert controller',
    podIdentity: true,
    webhookPorts: [10250],
  },
  'argo-rollouts': {
    runs: 'Argo Rollouts controller',
    podIdentity: true,
    outsideVpcHttps: 'the canary analysis queries Amazon Managed Service for Prometheus (no interface endpoint here)',
  },
  'gatekeeper-system': {
    runs: 'Gatekeeper controller and audit, Ratify',
    podIdentity: false,
    outsideVpcHttps:
      "Ratify fetches image signatures' blobs from S3 (the gateway endpoint routes to S3's public addresses) and " +
      'the AWS Signer plugin artifact from the public ECR gallery',
    webhookPorts: [8443],
    // Gatekeeper asks Ratify (external data provider, port 6001) for every image it admits.
    extra: () => ({
      'allow-gatekeeper-to-ratify': {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ratify' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 6001 }] }],
      },
      'allow-egress-to-ratify': {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ratify' } } }],
            ports: [{ protocol: 'TCP', port: 6001 }],
          },
        ],
      },
    }),
  },
  observability: {
    runs: 'ADOT collector',
    podIdentity: true,
    outsideVpcHttps: 'AMP remote write and X-Ray have no interface endpoint here',
    extra: (ctx) => ({
      'allow-otlp-from-api': {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': ADOT_COLLECTOR.name } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: namespaceIs(ctx.env.names.apiNamespace),
                podSelector: { matchLabels: { app: API.name } },
              },
            ],
            ports: [
              { protocol: 'TCP', port: ADOT_COLLECTOR.otlpGrpcPort },
              { protocol: 'TCP', port: ADOT_COLLECTOR.otlpHttpPort },
            ],
          },
        ],
      },
      // The scrape jobs of adotValues: annotated API pods, Karpenter's http-metrics (8080).
      'allow-scrape-targets': {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': ADOT_COLLECTOR.name } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: namespaceIs(ctx.env.names.apiNamespace),
                podSelector: { matchLabels: { app: API.name } },
              },
            ],
            ports: [{ protocol: 'TCP', port: API.containerPort }],
          },
          {
            to: [
              {
                namespaceSelector: namespaceIs(ctx.env.names.podIdentityServiceAccounts.karpenter.namespace),
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'karpenter' } },
              },
            ],
            ports: [{ protocol: 'TCP', port: 8080 }],
          },
        ],
      },
    }),
  },
  'grafana-operator': {
    runs: 'Grafana Operator',
    podIdentity: false,
    outsideVpcHttps: "Amazon Managed Grafana's workspace API has no interface endpoint here",
  },
  logging: {
    runs: 'Fluent Bit',
    podIdentity: true,
  },
};

/** The namespaces whose traffic this module polices: every add-on's and the collector's, less NOT_OWNED_NAMESPACES. */
export function ownedAddonNamespaces(ctx: DeployContext): string[] {
  const all = new Set([
    ...ADDONS.map((addon) => addon.namespace(ctx)),
    ctx.env.names.podIdentityServiceAccounts.adotCollector.namespace,
  ]);
  return [...all].filter((namespace) => !(namespace in NOT_OWNED_NAMESPACES)).sort();
}

export function addonNetworkPolicies(ctx: DeployContext): INetworkPolicy[] {
  const policies: INetworkPolicy[] = [];
  for (const namespace of ownedAddonNamespaces(ctx)) {
    const traffic = NAMESPACE_TRAFFIC[namespace];
    if (traffic === undefined) {
      throw new Error(
        `namespace ${namespace}: an add-on deploys there but NAMESPACE_TRAFFIC (deploy/src/charts/addon-network-policies.ts) has no entry`,
      );
    }
    const labels = commonLabels(ctx, 'network-policy');
    const add = (name: string, spec: INetworkPolicy['spec']) =>
      policies.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace, labels },
        spec,
      });

    add('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // Every add-on here is a controller: it watches the API server (443 on the control plane's interfaces in the
    // app subnets) and calls AWS APIs through the interface endpoints there.
    const egress: INetworkPolicyEgressRule[] = [
      DNS_EGRESS,
      { to: endpointSubnets(ctx), ports: [{ protocol: 'TCP', port: 443 }] },
    ];
    if (traffic.podIdentity) {
      egress.push({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: 'TCP', port: 80 }] });
    }
    if (traffic.outsideVpcHttps !== undefined) {
      egress.push({
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [ctx.env.network.vpcCidr] } }],
        ports: [{ protocol: 'TCP', port: 443 }],
      });
    }
    add('allow-controller-egress', { podSelector: {}, policyTypes: ['Egress'], egress });
    if (traffic.webhookPorts !== undefined) {
      const ingress: INetworkPolicyIngressRule[] = [
        {
          from: endpointSubnets(ctx),
          ports: traffic.webhookPorts.map((port) => ({ protocol: 'TCP' as const, port })),
        },
      ];
      add('allow-webhooks-from-control-plane', { podSelector: {}, policyTypes: ['Ingress'], ingress });
    }
    for (const [name, spec] of Object.entries(traffic.extra?.(ctx) ?? {})) add(name, spec);
  }
  return policies;
}
