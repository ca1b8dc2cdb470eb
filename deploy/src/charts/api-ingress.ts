import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { DeployContext } from '../context.ts';
import { API, SHUTDOWN } from './api-workload.ts';

/**
 * The ALB Ingress CloudFront sends `/api/*` to. HTTPS only; the certificate is discovered in ACM by the TLS host;
 * the ALB admits only CloudFront (security group by name) and the origin-verify WAF blocks requests without the
 * secret header (names.originVerifyWebAclName, ADR 0024).
 */
export function apiIngress(ctx: DeployContext, labels: Record<string, string>): IIngress {
  const { env } = ctx;
  const host = env.dns.originHost;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: API.ingress,
      namespace: env.names.apiNamespace,
      labels,
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
        'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
        'alb.ingress.kubernetes.io/healthcheck-path': '/readyz',
        'alb.ingress.kubernetes.io/healthcheck-port': 'traffic-port',
        'alb.ingress.kubernetes.io/success-codes': '200',
        'alb.ingress.kubernetes.io/security-groups': env.names.albSecurityGroupName,
        'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
        'alb.ingress.kubernetes.io/wafv2-acl-name': env.names.originVerifyWebAclName,
        'alb.ingress.kubernetes.io/load-balancer-attributes':
          'routing.http.drop_invalid_header_fields.enabled=true,idle_timeout.timeout_seconds=60',
        'alb.ingress.kubernetes.io/target-group-attributes': `deregistration_delay.timeout_seconds=${SHUTDOWN.preStopSleepSeconds}`,
        'alb.ingress.kubernetes.io/tags': Object.entries(env.tags)
          .map(([key, value]) => `${key}=${value}`)
          .join(','),
        'external-dns.alpha.kubernetes.io/hostname': host,
      },
    },
    spec: {
      ingressClassName: 'alb',
      tls: [{ hosts: [host] }],
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: '/api',
                pathType: 'Prefix',
                // `use-annotation`: Argo Rollouts writes the weighted forward action for this service.
                backend: { service: { name: API.stableService, port: { name: 'use-annotation' } } },
              },
            ],
          },
        },
      ],
    },
  };
}
