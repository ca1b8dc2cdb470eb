/**
 * The capacity model: traffic (API req/s and its write share) → API pods → Karpenter nodes → monthly cost per
 * environment and cost per million requests.
 *
 * Every input is read, none copied: the API's CPU per request from docs/benchmarks.md (what `make bench-api`
 * writes), the pod's CPU request and the HPA's CPU target from the environment's render (what Argo CD applies), and
 * the node type from config usage, checked against the Karpenter NodePool's requirements in the same render.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig, ResolvedEnvironment } from '@innovate/config';
import { estimate } from './model.ts';
import type { PriceTable } from './price-table.ts';
import { type ManifestDoc, REPO_ROOT, renderedManifests } from './rendered-nodes.ts';
import type { SynthStack } from './synth.ts';

export const BENCHMARKS_DOC = join(REPO_ROOT, 'docs', 'benchmarks.md');

export class CapacityError extends Error {
  override name = 'CapacityError';
}

export interface RequestProfile {
  /** Server CPU time the API spends per request, all processes together (ms). */
  cpuMs: number;
  p50Ms: number;
  p99Ms: number;
}
export interface ApiBench {
  read: RequestProfile;
  write: RequestProfile;
}

/** The API rows of the `## API` section's main table: "server CPU per request bare / API" and "API p50 / p99". */
export function readApiBench(markdown: string): ApiBench {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('API\n'));
  if (!section) throw new CapacityError('docs/benchmarks.md: no "## API" section (run make bench-api)');
  const rows = section.split('\n').filter((line) => line.startsWith('|'));
  const header = rows.find((line) => line.includes('server CPU per request'));
  if (!header) throw new CapacityError('docs/benchmarks.md: API table has no "server CPU per request" column');
  const columns = cells(header);
  const cpuColumn = columns.findIndex((c) => c.startsWith('server CPU per request'));
  const latencyColumn = columns.findIndex((c) => c.startsWith('API p50 / p99'));
  const body = rows.slice(rows.indexOf(header) + 2);
  const profile = (method: string): RequestProfile => {
    const row = body.find((line) => cells(line)[0]?.startsWith(`\`${method} `));
    if (!row) throw new CapacityError(`docs/benchmarks.md: API table has no ${method} row`);
    const [, apiCpu] = pair(cells(row)[cpuColumn], `${method} server CPU per request`);
    const [p50, p99] = pair(cells(row)[latencyColumn], `${method} API p50 / p99`);
    return { cpuMs: apiCpu, p50Ms: p50, p99Ms: p99 };
  };
  return { read: profile('GET'), write: profile('POST') };
}

function cells(line: string): string[] {
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

/** "1.60 / 2.15 ms" → [1.6, 2.15]. */
function pair(text: string | undefined, what: string): [number, number] {
  const match = /^([\d.]+) \/ ([\d.]+) ms$/.exec(text ?? '');
  if (!match) throw new CapacityError(`docs/benchmarks.md: ${what}: expected "<a> / <b> ms", got "${text ?? ''}"`);
  return [Number(match[1]), Number(match[2])];
}

export interface RenderedApi {
  cpuRequestCores: number;
  cpuTargetShare: number;
  minReplicas: number;
  maxReplicas: number;
  /** The NodePool's requirement values by key (arch, instance-category, ...). */
  nodePool: Record<string, { operator: string; values: string[] }>;
}

interface Requirement {
  key: string;
  operator: string;
  values: string[];
}

/** The API's Rollout, its HPA and the default NodePool, from the environment's render. */
export function readRenderedApi(env: ResolvedEnvironment, root = REPO_ROOT): RenderedApi {
  const docs = renderedManifests(env.names.renderedManifestsPath, root).map((m) => m.doc);
  const find = (kind: string, name: string): ManifestDoc => {
    const doc = docs.find((d) => d.kind === kind && d.metadata?.name === name);
    if (!doc) throw new CapacityError(`${env.name}: no ${kind} "${name}" in the render (make render)`);
    return doc;
  };
  const rollout = find('Rollout', 'api').spec as {
    template?: { spec?: { containers?: Array<{ name: string; resources?: { requests?: { cpu?: string } } }> } };
  };
  const container = rollout.template?.spec?.containers?.find((c) => c.name === 'api');
  const cpu = container?.resources?.requests?.cpu ?? '';
  const millis = /^(\d+)m$/.exec(cpu);
  const cpuRequestCores = millis ? Number(millis[1]) / 1000 : Number(cpu);
  if (!(cpuRequestCores > 0)) throw new CapacityError(`${env.name}: Rollout api: container api has no CPU request`);
  const hpa = find('HorizontalPodAutoscaler', 'api').spec as {
    minReplicas?: number;
    maxReplicas: number;
    metrics?: Array<{ resource?: { name: string; target?: { averageUtilization?: number } } }>;
  };
  const target = hpa.metrics?.find((m) => m.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
  if (!target) throw new CapacityError(`${env.name}: HorizontalPodAutoscaler api has no CPU utilization target`);
  const pool = find('NodePool', 'default').spec as { template?: { spec?: { requirements?: Requirement[] } } };
  const nodePool = Object.fromEntries(
    (pool.template?.spec?.requirements ?? []).map((r) => [r.key, { operator: r.operator, values: r.values }]),
  );
  return {
    cpuRequestCores,
    cpuTargetShare: target / 100,
    minReplicas: hpa.minReplicas ?? 1,
    maxReplicas: hpa.maxReplicas,
    nodePool,
  };
}

/** vCPUs of the general/compute/memory families' sizes (medium 1, large 2, xlarge 4, Nxlarge 4N). */
export function instanceVcpus(instanceType: string): number {
  const size = instanceType.split('.')[1] ?? '';
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  const match = /^(\d*)xlarge$/.exec(size);
  if (!match) throw new CapacityError(`instance type ${instanceType}: size ${size} has no vCPU count`);
  return 4 * (match[1] ? Number(match[1]) : 1);
}

/** Refuses a node type the NodePool would never launch (family category, generation, architecture). */
export function checkNodeType(instanceType: string, nodePool: RenderedApi['nodePool'], envName: string): void {
  const match = /^([a-z]+?)(\d+)([a-z]*)\./.exec(instanceType);
  if (!match) throw new CapacityError(`${envName}: usage.karpenter.instanceType ${instanceType} is not an EC2 type`);
  const [, category, generation, attributes] = match as unknown as [string, string, string, string];
  const arch = attributes.includes('g') ? 'arm64' : 'amd64';
  const allows = (key: string, value: string) => {
    const rule = nodePool[key];
    if (!rule) return true;
    if (rule.operator === 'In') return rule.values.includes(value);
    if (rule.operator === 'Gt') return Number(value) > Number(rule.values[0]);
    return true;
  };
  const refused = [
    ['karpenter.k8s.aws/instance-category', category],
    ['karpenter.k8s.aws/instance-generation', generation],
    ['kubernetes.io/arch', arch],
  ].find(([key, value]) => !allows(key as string, value as string));
  if (refused) {
    throw new CapacityError(
      `${envName}: usage.karpenter.instanceType ${instanceType}: the NodePool does not allow ${refused[0]}=${refused[1]}`,
    );
  }
}

/** Per-node CPU that pods cannot request: kubelet and system reservations plus the DaemonSets (about 0.3 vCPU). */
export const NODE_OVERHEAD_VCPU = 0.3;
const SECONDS_PER_MONTH = (hours: number) => hours * 3600;

export interface CapacityPoint {
  account: string;
  /** Multiple of today's assumed traffic. */
  multiple: number;
  apiRequestsPerSecond: number;
  pods: number;
  /** Pods the traffic needs beyond the HPA's maximum (0 when it fits). */
  podsOverMax: number;
  nodes: number;
  monthlyUsd: number;
  /** All requests CloudFront serves in the month (SPA + API), millions. */
  requestsMillions: number;
  usdPerMillionRequests: number;
}

export interface CapacityInputs {
  bench: ApiBench;
  api: Map<string, RenderedApi>;
}

export function capacityInputs(
  config: PlatformConfig,
  benchmarks = readFileSync(BENCHMARKS_DOC, 'utf8'),
): CapacityInputs {
  return {
    bench: readApiBench(benchmarks),
    api: new Map(config.environments.map((env) => [env.name, readRenderedApi(env)])),
  };
}

/** The API req/s the environment's usage assumptions imply (averaged over the month). */
export function assumedApiRate(env: ResolvedEnvironment, hoursPerMonth: number): number {
  return (env.usage.requestsMillions * 1e6 * env.usage.apiRequestShare) / SECONDS_PER_MONTH(hoursPerMonth);
}

/** Pods and extra nodes for `rate` API req/s: the HPA keeps each pod's CPU at its target share of the request. */
export function podsAndNodes(env: ResolvedEnvironment, inputs: CapacityInputs, rate: number) {
  const api = inputs.api.get(env.name);
  if (!api) throw new CapacityError(`${env.name}: no rendered API`);
  const write = env.usage.apiWriteShare;
  const cpuMs = (1 - write) * inputs.bench.read.cpuMs + write * inputs.bench.write.cpuMs;
  const perPod = (api.cpuRequestCores * api.cpuTargetShare) / (cpuMs / 1000);
  const needed = Math.max(api.minReplicas, Math.ceil(rate / perPod));
  const pods = Math.min(needed, api.maxReplicas);
  const nodeType = env.usage.karpenter.instanceType;
  checkNodeType(nodeType, api.nodePool, env.name);
  // The usage baseline already carries the minimum replicas; only pods beyond it need new node capacity.
  const extraCpu = (needed - api.minReplicas) * api.cpuRequestCores;
  const extraNodes = Math.ceil(extraCpu / (instanceVcpus(nodeType) - NODE_OVERHEAD_VCPU));
  return { perPod, pods, podsOverMax: needed - pods, extraNodes, cpuMs };
}

/** The environment's month at `multiple` × its assumed traffic, priced by the same model over the same templates. */
export function capacityPoint(
  stacks: readonly SynthStack[],
  config: PlatformConfig,
  prices: PriceTable,
  inputs: CapacityInputs,
  envName: string,
  multiple: number,
): CapacityPoint {
  const env = config.environment(envName);
  const rate = assumedApiRate(env, prices.hoursPerMonth) * multiple;
  const { pods, podsOverMax, extraNodes } = podsAndNodes(env, inputs, rate);
  const baselineNodes = env.usage.karpenter.baselineNodeHours / prices.hoursPerMonth;
  // What grows with requests: CloudFront requests and bytes, WAF, ALB capacity units, logs, traces. NAT, endpoint
  // and metric volumes follow the fleet, not the requests, and stay as assumed.
  const usage = {
    ...env.usage,
    requestsMillions: env.usage.requestsMillions * multiple,
    cdnGB: env.usage.cdnGB * multiple,
    logGB: env.usage.logGB * multiple,
    alb: { ...env.usage.alb, averageLcu: env.usage.alb.averageLcu * multiple },
    karpenter: {
      ...env.usage.karpenter,
      baselineNodeHours: env.usage.karpenter.baselineNodeHours + extraNodes * prices.hoursPerMonth,
    },
  };
  const scaled: PlatformConfig = {
    ...config,
    environments: config.environments.map((e) => (e.name === envName ? { ...e, usage } : e)),
    environment: (name: string) => (name === envName ? { ...env, usage } : config.environment(name)),
  };
  const own = stacks.filter((stack) => stack.account === env.account.id);
  const monthlyUsd = estimate(own, scaled, prices).accounts.find((a) => a.account === envName)?.totalUsd ?? 0;
  return {
    account: envName,
    multiple,
    apiRequestsPerSecond: rate,
    pods,
    podsOverMax,
    nodes: Math.ceil(baselineNodes) + extraNodes,
    monthlyUsd,
    requestsMillions: usage.requestsMillions,
    usdPerMillionRequests: monthlyUsd / usage.requestsMillions,
  };
}

export const CURVE_MULTIPLES = [1, 10, 100, 1000] as const;

/** "10x,100x" → [10, 100]; "50rps" → the multiple of the env's assumed rate that is 50 API req/s. */
export function parseTraffic(text: string, env: ResolvedEnvironment, hoursPerMonth: number): number[] {
  return text.split(',').map((part) => {
    const multiple = /^(\d+(?:\.\d+)?)x$/.exec(part.trim());
    if (multiple) return Number(multiple[1]);
    const rps = /^(\d+(?:\.\d+)?)rps$/.exec(part.trim());
    if (rps) return Number(rps[1]) / assumedApiRate(env, hoursPerMonth);
    throw new CapacityError(`TRAFFIC: "${part}": expected a multiple such as 10x or an API rate such as 50rps`);
  });
}
