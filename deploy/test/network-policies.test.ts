/**
 * NetworkPolicies (ADR 0061): the API admits only the ALB's subnets and reaches only the endpoint and database
 * subnets; every namespace we render into, but those listed as not ours, denies all traffic by default.
 */
import { subnetLayout } from '@innovate/config';
import { describe, expect, it } from 'vitest';
import { NAMESPACE_TRAFFIC, NOT_OWNED_NAMESPACES } from '../src/charts/addon-network-policies.ts';
import { API } from '../src/charts/api-workload.ts';
import { deployContext, renderObjects } from '../src/render.ts';
import { config, type Json } from './helpers.ts';

const cidrsOf = (peers: Json[] | undefined) => (peers ?? []).map((peer) => peer.ipBlock?.cidr).filter(Boolean);

describe.each(config.environments.map((env) => env.name))('%s', (envName) => {
  const env = config.environment(envName);
  const subnets = subnetLayout(env.network);
  const all = [...renderObjects(deployContext(config, envName)).values()].flat() as Json[];
  const policies = all.filter((o) => o.kind === 'NetworkPolicy');
  const apiPolicies = policies.filter((p) => p.metadata.namespace === env.names.apiNamespace);
  const named = (name: string) => apiPolicies.find((p) => p.metadata.name === name);

  it('admits the API port from the public (ALB) subnets only', () => {
    const rules = named('allow-alb-to-api').spec.ingress;
    expect(rules).toHaveLength(1);
    expect(cidrsOf(rules[0].from).sort()).toEqual([...subnets.public.cidrs].sort());
    expect(rules[0].ports).toEqual([{ protocol: 'TCP', port: API.containerPort }]);
  });

  it('lets the API reach 443 in the endpoint (private-app) subnets and 5432 in the db subnets only', () => {
    const https = named('allow-aws-endpoints').spec.egress.filter((r: Json) => r.ports[0].port === 443);
    expect(https.flatMap((r: Json) => cidrsOf(r.to)).sort()).toEqual([...subnets.app.cidrs].sort());
    expect(cidrsOf(named('allow-postgres').spec.egress[0].to).sort()).toEqual([...subnets.db.cidrs].sort());
  });

  it('never admits the whole VPC CIDR, and never a rule without ports', () => {
    for (const policy of policies) {
      for (const rule of [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])]) {
        const where = `${policy.metadata.namespace}/${policy.metadata.name}`;
        expect(cidrsOf(rule.from ?? rule.to), where).not.toContain(env.network.vpcCidr);
        expect(rule.ports?.length, where).toBeGreaterThan(0);
        // Outside the VPC: HTTPS only, and never back into it.
        for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
          if (peer.ipBlock?.cidr === '0.0.0.0/0') {
            expect(peer.ipBlock.except, where).toEqual([env.network.vpcCidr]);
            expect(rule.ports, where).toEqual([{ protocol: 'TCP', port: 443 }]);
          }
        }
      }
    }
  });

  it('denies all ingress and egress by default in every namespace the render deploys to, but the listed ones', () => {
    const apps = all.filter((o) => o.kind === 'Application');
    const namespaces = new Set<string>([
      ...apps.map((app) => app.spec.destination.namespace),
      ...all.map((o) => o.metadata.namespace).filter(Boolean),
      ...all.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
    ]);
    for (const namespace of namespaces) {
      if (namespace in NOT_OWNED_NAMESPACES) continue;
      const deny = policies.filter((p) => p.metadata.namespace === namespace && p.metadata.name === 'default-deny-all');
      expect(deny, namespace).toHaveLength(1);
      expect(deny[0].spec, namespace).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
    expect(namespaces.size).toBeGreaterThan(Object.keys(NOT_OWNED_NAMESPACES).length + 1);
  });

  it('gives every owned add-on namespace a reason for each opening outside the VPC', () => {
    for (const [namespace, traffic] of Object.entries(NAMESPACE_TRAFFIC)) {
      const outside = policies.some(
        (p) =>
          p.metadata.namespace === namespace &&
          (p.spec.egress ?? []).some((r: Json) => cidrsOf(r.to).includes('0.0.0.0/0')),
      );
      expect(outside, namespace).toBe(traffic.outsideVpcHttps !== undefined);
    }
  });
});
