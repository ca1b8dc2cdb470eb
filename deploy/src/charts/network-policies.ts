/**
 * NetworkPolicies of the API namespace (requirement NET-3, enforced by the VPC CNI's network policy agent, ADR 0061):
 * default deny both ways, then only what the API needs. CIDRs come from the config, never from literals.
 */
import { subnetLayout } from '@innovate/config';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import { commonLabels, type DeployContext } from '../context.ts';
import { API } from './api-workload.ts';
import { ADOT_COLLECTOR } from './observability.ts';

/** EKS Pod Identity agent: a link-local address on every node (credentials for the AWS SDK). */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';

/** Where the interface endpoints and the EKS control plane's network interfaces live: the private-app subnets. */
export function endpointSubnets(ctx: DeployContext): { ipBlock: { cidr: string } }[] {
  return subnetLayout(ctx.env.network).app.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
}

/** CoreDNS (EKS managed add-on) on 53, UDP and TCP. */
export const DNS_EGRESS: INetworkPolicyEgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

export function apiNetworkPolicies(ctx: DeployContext): INetworkPolicy[] {
  const namespace = ctx.env.names.apiNamespace;
  const labels = commonLabels(ctx, API.name);
  const apiPods = { matchLabels: { app: API.name } };
  const subnets = subnetLayout(ctx.env.network);
  const observability = ctx.env.names.podIdentityServiceAccounts.adotCollector.namespace;
  const policy = (name: string, spec: INetworkPolicy['spec']): INetworkPolicy => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels },
    spec,
  });
  return [
    policy('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    // target-type ip: the internet-facing ALB's nodes live in the public subnets and connect straight to the pod
    // port. Kubelet probes come from the pod's own node, which the VPC CNI's agent always admits, so no node or
    // pod subnet is listed here.
    policy('allow-alb-to-api', {
      podSelector: apiPods,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: subnets.public.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [{ protocol: 'TCP', port: API.containerPort }],
        },
      ],
    }),
    policy('allow-metrics-scrape', {
      podSelector: apiPods,
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': observability } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': ADOT_COLLECTOR.name } },
            },
          ],
          ports: [{ protocol: 'TCP', port: API.containerPort }],
        },
      ],
    }),
    policy('allow-dns', {
      podSelector: apiPods,
      policyTypes: ['Egress'],
      egress: [DNS_EGRESS],
    }),
    policy('allow-postgres', {
      podSelector: apiPods,
      policyTypes: ['Egress'],
      egress: [
        {
          to: subnets.db.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
    }),
    policy('allow-otel-collector', {
      podSelector: apiPods,
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': observability } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': ADOT_COLLECTOR.name } },
            },
          ],
          ports: [
            { protocol: 'TCP', port: ADOT_COLLECTOR.otlpGrpcPort },
            { protocol: 'TCP', port: ADOT_COLLECTOR.otlpHttpPort },
          ],
        },
      ],
    }),
    // AWS APIs through the interface endpoints, whose network interfaces live in the private-app subnets (CDK
    // VpcEndpoints), and the Pod Identity agent. Not the whole VPC: the public and db subnets have nothing on 443.
    policy('allow-aws-endpoints', {
      podSelector: apiPods,
      policyTypes: ['Egress'],
      egress: [
        { to: endpointSubnets(ctx), ports: [{ protocol: 'TCP', port: 443 }] },
        { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: 'TCP', port: 80 }] },
      ],
    }),
  ];
}
