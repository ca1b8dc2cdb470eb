import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { subnetLayout } from '@innovate/config';
import { describe, expect, it } from 'vitest';
import { SHUTDOWN, TERMINATION_GRACE_PERIOD_SECONDS } from '../src/charts/api-workload.ts';
import { REPO_ROOT } from '../src/layout.ts';
import { config, find, type Json, objectsOf } from './helpers.ts';

const envs = config.environments.map((env) => env.name);

function podTemplates(objects: Json[]): Array<{ owner: string; spec: Json }> {
  return objects
    .filter((o) => ['Rollout', 'Deployment', 'Job', 'CronJob', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .map((o) => ({
      owner: `${o.kind}/${o.metadata.name}`,
      spec: o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec,
    }));
}

describe.each(envs)('%s: the API workload', (envName) => {
  const env = config.environment(envName);
  const objects = objectsOf(envName) as Json[];

  it('has no replicas on a Rollout an HPA scales, and the HPA bounds come from config', () => {
    for (const hpa of find(objects, 'HorizontalPodAutoscaler') as Json[]) {
      const target = objects.find(
        (o) => o.kind === hpa.spec.scaleTargetRef.kind && o.metadata.name === hpa.spec.scaleTargetRef.name,
      );
      expect(target, `HPA ${hpa.metadata.name} target`).toBeDefined();
      expect(target.spec.replicas).toBeUndefined();
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([env.api.minReplicas, env.api.maxReplicas]);
    }
  });

  it('has a PDB selecting the pods of every Rollout', () => {
    const rollouts = find(objects, 'Rollout') as Json[];
    expect(rollouts.length).toBeGreaterThan(0);
    for (const rollout of rollouts) {
      const podLabels = rollout.spec.template.metadata.labels;
      const pdb = (find(objects, 'PodDisruptionBudget') as Json[]).find(
        (p) =>
          p.metadata.namespace === rollout.metadata.namespace &&
          Object.entries(p.spec.selector.matchLabels).every(([k, v]) => podLabels[k] === v),
      );
      expect(pdb, `PDB for ${rollout.metadata.name}`).toBeDefined();
    }
  });

  it('gives every container the restricted security context, resources and a writable /tmp only', () => {
    for (const { owner, spec } of podTemplates(objects)) {
      expect(spec.securityContext.runAsNonRoot, owner).toBe(true);
      expect(spec.securityContext.seccompProfile.type, owner).toBe('RuntimeDefault');
      for (const container of spec.containers) {
        const sc = container.securityContext;
        expect(sc.allowPrivilegeEscalation, owner).toBe(false);
        expect(sc.readOnlyRootFilesystem, owner).toBe(true);
        expect(sc.capabilities.drop, owner).toEqual(['ALL']);
        expect(sc.capabilities.add, owner).toBeUndefined();
        expect(container.resources.requests.cpu, owner).toBe(env.api.resources.cpuRequest);
        expect(container.resources.limits.memory, owner).toBe(env.api.resources.memoryLimit);
        const tmp = container.volumeMounts.find((m: Json) => m.mountPath === '/tmp');
        expect(spec.volumes.find((v: Json) => v.name === tmp.name).emptyDir, owner).toBeDefined();
      }
    }
  });

  it('pins the image by digest from the environment’s own ECR repository', () => {
    for (const { spec } of podTemplates(objects)) {
      for (const container of spec.containers) {
        expect(container.image).toMatch(
          new RegExp(
            `^${env.account.id}\\.dkr\\.ecr\\.${env.region}\\.amazonaws\\.com/${env.names.apiRepositoryName}@sha256:[a-f0-9]{64}$`,
          ),
        );
      }
    }
  });

  it('probes /healthz and /readyz, and drains within the grace period', () => {
    const rollout = (find(objects, 'Rollout', 'api') as Json[])[0];
    const container = rollout.spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.lifecycle.preStop.sleep.seconds).toBe(SHUTDOWN.preStopSleepSeconds);
    // The API's own settings (api/src/innovate_api/settings.py) read these two.
    const env = (name: string) => Number(container.env.find((e: Json) => e.name === name).value);
    const drain = env('API_DRAIN_SECONDS');
    const graceful = env('API_GRACEFUL_TIMEOUT_SECONDS');
    expect(rollout.spec.template.spec.terminationGracePeriodSeconds).toBe(TERMINATION_GRACE_PERIOD_SECONDS);
    expect(TERMINATION_GRACE_PERIOD_SECONDS).toBeGreaterThan(SHUTDOWN.preStopSleepSeconds + drain + graceful);
  });

  it('spreads pods across zones (hard) and nodes (soft)', () => {
    const spec = (find(objects, 'Rollout', 'api') as Json[])[0].spec.template.spec;
    const byKey = Object.fromEntries(spec.topologySpreadConstraints.map((c: Json) => [c.topologyKey, c]));
    expect(byKey['topology.kubernetes.io/zone'].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(byKey['kubernetes.io/hostname'].whenUnsatisfiable).toBe('ScheduleAnyway');
  });

  it('runs a canary with analysis between weights, routed by the ALB Ingress', () => {
    const canary = (find(objects, 'Rollout', 'api') as Json[])[0].spec.strategy.canary;
    const steps = canary.steps.map((s: Json) => Object.keys(s)[0]);
    expect(steps.indexOf('analysis')).toBeGreaterThan(steps.indexOf('setWeight'));
    expect(canary.steps.filter((s: Json) => s.setWeight).map((s: Json) => s.setWeight)).toEqual([10, 50, 100]);
    expect(steps.filter((s: string) => s === 'analysis')).toHaveLength(2);
    const ingress = (find(objects, 'Ingress', canary.trafficRouting.alb.ingress) as Json[])[0];
    const annotations = ingress.metadata.annotations;
    expect(annotations['alb.ingress.kubernetes.io/target-type']).toBe('ip');
    expect(annotations['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTPS":443}]');
    expect(annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/readyz');
    expect(annotations['alb.ingress.kubernetes.io/security-groups']).toBe(env.names.albSecurityGroupName);
    expect(annotations['alb.ingress.kubernetes.io/wafv2-acl-name']).toBe(env.names.originVerifyWebAclName);
    expect(ingress.spec.rules[0].host).toBe(env.dns.originHost);
    const template = (find(objects, 'AnalysisTemplate') as Json[])[0];
    expect(template.spec.metrics.map((m: Json) => m.name)).toEqual(['success-rate', 'p99-latency']);
    for (const metric of template.spec.metrics)
      expect(metric.provider.prometheus.authentication.sigv4.region).toBe(env.region);
  });

  it('migrates the schema in an Argo CD PreSync Job before the canary', () => {
    const job = (find(objects, 'Job') as Json[])[0];
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(job.spec.template.spec.containers[0].command).toEqual(['innovate-api', 'migrate']);
  });

  it('purges expired Idempotency-Keys hourly with the API image, never two runs at once', () => {
    const [purge] = find(objects, 'CronJob') as Json[];
    const pod = purge.spec.jobTemplate.spec.template;
    expect(pod.spec.containers[0].command).toEqual(['innovate-api', 'purge-idempotency-keys']);
    expect(purge.spec.concurrencyPolicy).toBe('Forbid');
    expect(purge.spec.schedule).toMatch(/^\d+ \* \* \* \*$/);
    const rollout = (find(objects, 'Rollout') as Json[])[0];
    expect(pod.spec.containers[0].image).toBe(rollout.spec.template.spec.containers[0].image);
    // The NetworkPolicies that let the API reach PostgreSQL select these pods too.
    expect(pod.metadata.labels.app).toBe('api');
  });

  it('enforces Pod Security restricted on every namespace that runs our pods', () => {
    const namespaces = new Set(podTemplates(objects).map(() => env.names.apiNamespace));
    for (const name of namespaces) {
      const ns = (find(objects, 'Namespace', name) as Json[])[0];
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    }
  });

  it('denies all traffic by default and allows PostgreSQL only to the db subnets on 5432', () => {
    const policies = (find(objects, 'NetworkPolicy') as Json[]).filter(
      (p) => p.metadata.namespace === env.names.apiNamespace,
    );
    const deny = policies.find((p) => p.metadata.name === 'default-deny-all');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const postgres = policies.find((p) => p.metadata.name === 'allow-postgres').spec.egress[0];
    expect(postgres.to.map((t: Json) => t.ipBlock.cidr)).toEqual(subnetLayout(env.network).db.cidrs);
    expect(postgres.ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  });
});

describe.each(envs)('%s: Karpenter v1', (envName) => {
  const env = config.environment(envName);
  const objects = objectsOf(envName) as Json[];
  const pool = (find(objects, 'NodePool') as Json[])[0];
  const nodeClass = (find(objects, 'EC2NodeClass') as Json[])[0];

  it('mixes spot and on-demand, Graviton (arm64) only, m/c/r of generation 7+', () => {
    const req = Object.fromEntries(pool.spec.template.spec.requirements.map((r: Json) => [r.key, r]));
    expect(req['karpenter.sh/capacity-type'].values.sort()).toEqual(['on-demand', 'spot']);
    expect(req['kubernetes.io/arch'].values).toEqual(['arm64']);
    expect(req['karpenter.k8s.aws/instance-category'].values.sort()).toEqual(['c', 'm', 'r']);
    expect(req['karpenter.k8s.aws/instance-generation']).toEqual({
      key: 'karpenter.k8s.aws/instance-generation',
      operator: 'Gt',
      values: ['6'],
    });
  });

  it('consolidates, expires and limits per the environment’s config', () => {
    expect(pool.spec.disruption.consolidationPolicy).toBe('WhenEmptyOrUnderutilized');
    expect(pool.spec.disruption.consolidateAfter).toBe(env.cluster.karpenter.consolidateAfter);
    expect(pool.spec.disruption.budgets.length).toBeGreaterThan(0);
    expect(pool.spec.template.spec.expireAfter).toBe(env.cluster.karpenter.expireAfter);
    expect(pool.spec.limits).toEqual({
      cpu: String(env.cluster.karpenter.cpuLimit),
      memory: `${env.cluster.karpenter.memoryLimitGiB}Gi`,
    });
  });

  it('launches hardened nodes with the CDK side’s role, subnets and cluster security group', () => {
    expect(nodeClass.spec.role).toBe(env.names.karpenterNodeRoleName);
    expect(nodeClass.spec.amiSelectorTerms[0].alias).toMatch(/^al2023@v\d{8}$/);
    expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeType: 'gp3', encrypted: true });
    const tag = { [env.names.karpenterDiscoveryTag.key]: env.names.karpenterDiscoveryTag.value };
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: tag }]);
    // The EKS cluster security group: the database admits 5432 from it only.
    expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([
      { tags: { 'aws:eks:cluster-name': env.names.clusterName } },
    ]);
  });
});

describe.each(envs)('%s: Argo CD', (envName) => {
  const env = config.environment(envName);
  const objects = objectsOf(envName) as Json[];
  const apps = find(objects, 'Application') as Json[];

  it('pins every Helm chart to an exact version', () => {
    for (const app of apps.filter((a) => a.spec.source.chart)) {
      // Exact versions only; the Grafana Operator's chart versions carry a leading `v` (v5.18.0).
      expect(app.spec.source.targetRevision, app.metadata.name).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });

  it('orders waves CRDs → controllers → policies → platform → workloads', () => {
    const wave = (name: string) =>
      Number(apps.find((a) => a.metadata.name === name).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('karpenter-crd')).toBeLessThan(wave('karpenter'));
    expect(wave('gatekeeper')).toBeLessThan(wave('policies'));
    expect(wave('policies')).toBeLessThan(wave('platform'));
    expect(wave('platform')).toBeLessThan(wave('api-base'));
    expect(wave('api-base')).toBeLessThan(wave('api'));
  });

  it('roots the app-of-apps at the environment’s rendered folder', () => {
    const root = apps.find((a) => a.metadata.name === env.names.argocdRootApplicationName);
    expect(root.spec.source.path).toBe(env.names.renderedManifestsPath);
    expect(root.spec.source.directory.recurse).toBe(false);
  });

  it('keeps Karpenter on the system node group, tolerating its taint', () => {
    const values = apps.find((a) => a.metadata.name === 'karpenter').spec.source.helm.valuesObject;
    const { label, taint } = env.names.systemNodes;
    expect(values.nodeSelector).toEqual({ [label.key]: label.value });
    expect(values.tolerations).toContainEqual({
      key: taint.key,
      operator: 'Equal',
      value: taint.value,
      effect: taint.effect,
    });
    expect(values.settings).toEqual({
      clusterName: env.names.clusterName,
      interruptionQueue: env.names.karpenterInterruptionQueueName,
    });
  });

  it('names every add-on service account as the CDK side’s Pod Identity associations expect', () => {
    const rendered = apps
      .filter((a) => a.spec.source.helm?.valuesObject?.serviceAccount)
      .map((a) => ({
        namespace: a.spec.destination.namespace,
        serviceAccount: a.spec.source.helm.valuesObject.serviceAccount.name,
      }));
    const expected = Object.entries(env.names.podIdentityServiceAccounts)
      .filter(([workload]) => workload !== 'api')
      .map(([, identity]) => identity);
    expect(rendered).toEqual(expect.arrayContaining(expected));
    expect(rendered).toHaveLength(expected.length);
  });

  it('makes Gatekeeper’s webhook skip exactly the namespaces every cluster-wide constraint exempts', () => {
    const values = apps.find((a) => a.metadata.name === 'gatekeeper').spec.source.helm.valuesObject;
    // A namespace exempt from one constraint only (the log shipper's, from K8sNoRoot) is still checked by the rest.
    const excluded = ['K8sNoRoot', 'K8sNoPrivileged', 'K8sNoHostAccess', 'K8sDropAllCapabilities'].map(
      (kind) =>
        (find(objects, kind) as Json[]).find((c) => c.spec.match.excludedNamespaces).spec.match.excludedNamespaces,
    );
    const exempt = excluded[0].filter(
      (ns: string) => ns !== 'gatekeeper-system' && excluded.every((list: string[]) => list.includes(ns)),
    );
    expect(exempt).not.toContain(env.names.podIdentityServiceAccounts.fluentBit.namespace);
    expect(values.controllerManager.exemptNamespaces).toEqual(exempt);
    expect(values.postInstall.labelNamespace.extraNamespaces).toEqual(exempt);
    expect(values.validatingWebhookFailurePolicy).toBe('Fail');
  });

  it('keeps the workloads project to its namespace and no cluster kind but Namespace', () => {
    const project = (find(objects, 'AppProject', 'workloads') as Json[])[0];
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: env.names.apiNamespace },
    ]);
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(project.spec.sourceRepos).toEqual([config.organization.git.repoUrl]);
  });
});

describe('the API reads every setting the render gives it', () => {
  // The API's settings ignore unknown variables, so a renamed setting would silently fall back to its default.
  const settings = readFileSync(join(REPO_ROOT, 'api', 'src', 'innovate_api', 'settings.py'), 'utf8');
  const fields = new Set([...settings.matchAll(/^ {4}([a-z_]+): /gm)].map((m) => (m[1] ?? '').toUpperCase()));
  const rollout = (find(objectsOf('prod'), 'Rollout', 'api') as Json[])[0];
  const names: string[] = rollout.spec.template.spec.containers[0].env
    .map((e: Json) => e.name)
    .filter((name: string) => /^(API|DB|DATABASE|TRACE)_/.test(name));

  it.each(names)('%s', (name) => {
    expect(fields).toContain(name);
  });
});

describe('the telemetry path the NetworkPolicies and the API assume', () => {
  const objects = objectsOf('dev') as Json[];
  const adot = (find(objects, 'Application', 'adot-collector') as Json[])[0];
  const values = adot.spec.source.helm.valuesObject;
  const rollout = (find(objects, 'Rollout', 'api') as Json[])[0];
  const policies = (find(objects, 'NetworkPolicy') as Json[]).filter((p) => p.metadata.name === 'allow-otel-collector');

  it('names the collector’s pods and Service as the NetworkPolicy and OTLP endpoint expect', () => {
    const selector = policies[0].spec.egress[0].to[0];
    expect(values.nameOverride).toBe(selector.podSelector.matchLabels['app.kubernetes.io/name']);
    expect(adot.spec.destination.namespace).toBe(selector.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
    const endpoint = rollout.spec.template.spec.containers[0].env.find(
      (e: Json) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT',
    );
    expect(endpoint.value).toBe(`http://${values.fullnameOverride}.${adot.spec.destination.namespace}:4318`);
  });

  it.each(envs)('%s: the API samples traces at the configured ratio, and nothing else samples', (name) => {
    const objects = objectsOf(name) as Json[];
    const env: Json[] = (find(objects, 'Rollout', 'api') as Json[])[0].spec.template.spec.containers[0].env;
    const ratio = env.filter((e) => e.name === 'TRACE_SAMPLE_RATIO');
    expect(ratio).toEqual([
      { name: 'TRACE_SAMPLE_RATIO', value: String(config.environment(name).observability.traceSampleRatio) },
    ]);
    expect(env.map((e) => e.name)).not.toContain('OTEL_TRACES_SAMPLER');
    const collector = (find(objects, 'Application', 'adot-collector') as Json[])[0].spec.source.helm.valuesObject;
    expect(Object.keys(collector.config.processors)).toEqual(['batch']);
    expect(collector.config.service.pipelines.traces.processors).toEqual(['batch']);
  });

  it('scrapes annotated pods and keeps the canary label the analysis queries', () => {
    const scrape = values.config.receivers.prometheus.config.scrape_configs[0];
    const targets = scrape.relabel_configs.map((r: Json) => r.target_label);
    expect(targets).toContain('rollouts_pod_template_hash');
    expect(targets).toContain('namespace');
    expect(rollout.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true');
    expect(values.clusterRole.create).toBe(true);
  });
});
