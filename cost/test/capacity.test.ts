/** The capacity model reads the benchmark and the render; a changed figure must change its inputs and its answer. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BENCHMARKS_DOC,
  CapacityError,
  capacityInputs,
  checkNodeType,
  instanceVcpus,
  podsAndNodes,
  readApiBench,
  readRenderedApi,
} from '../src/capacity.ts';
import { config } from './helpers.ts';

const benchmarks = readFileSync(BENCHMARKS_DOC, 'utf8');

/** The API's "server CPU per request" of the GET row, found here independently of the model's parser. */
function documentedReadCpu(text: string): string {
  const row = text.split('\n').find((line) => line.startsWith('| `GET .../tasks'));
  // Cells may be padded: the benchmark writer formats the table with aligned columns.
  const match = /\| ([\d.]+) \/ ([\d.]+) ms\s*\|\s*\d+\s*\|$/.exec(row ?? '');
  if (!match?.[2]) throw new Error('benchmarks.md: GET row not found');
  return match[2];
}

describe('capacity: inputs come from docs/benchmarks.md (what make bench-api writes)', () => {
  it('reads the API CPU per request of reads and writes from the API section', () => {
    const bench = readApiBench(benchmarks);
    expect(bench.read.cpuMs).toBe(Number(documentedReadCpu(benchmarks)));
    expect(bench.write.cpuMs).toBeGreaterThan(0);
    expect(bench.read.p99Ms).toBeGreaterThan(bench.read.p50Ms);
  });

  it('a changed benchmark figure changes the model input and the pods it needs', () => {
    const figure = documentedReadCpu(benchmarks);
    const doubled = (Number(figure) * 2).toFixed(2);
    const changed = benchmarks.replace(
      new RegExp(` / ${figure.replace('.', '\\.')} ms(\\s*)\\|`),
      ` / ${doubled} ms$1|`,
    );
    expect(changed).not.toBe(benchmarks);
    const before = capacityInputs(config, benchmarks);
    const after = capacityInputs(config, changed);
    expect(after.bench.read.cpuMs).toBe(Number(doubled));
    const prod = config.environment('prod');
    const rate = 2000;
    expect(podsAndNodes(prod, after, rate).perPod).toBeLessThan(podsAndNodes(prod, before, rate).perPod);
  });

  it('a benchmark without the API table is refused with the reason', () => {
    expect(() => readApiBench('# Benchmarks\n\n## API\n\nnothing measured\n')).toThrow(/server CPU per request/);
  });
});

describe('capacity: the CPU request, HPA target and NodePool come from the render', () => {
  it.each(['dev', 'staging', 'prod'])('%s: the rendered API matches config (request, replicas)', (name) => {
    const env = config.environment(name);
    const api = readRenderedApi(env);
    expect(api.cpuRequestCores * 1000).toBe(Number(env.api.resources.cpuRequest.replace('m', '')));
    expect(api.minReplicas).toBe(env.api.minReplicas);
    expect(api.maxReplicas).toBe(env.api.maxReplicas);
    expect(api.cpuTargetShare).toBeGreaterThan(0);
    expect(api.cpuTargetShare).toBeLessThanOrEqual(1);
  });

  it('pods grow with traffic and stop at the HPA maximum, counting what is left over', () => {
    const env = config.environment('dev');
    const inputs = capacityInputs(config);
    expect(podsAndNodes(env, inputs, 0).pods).toBe(env.api.minReplicas);
    const flood = podsAndNodes(env, inputs, 1e6);
    expect(flood.pods).toBe(env.api.maxReplicas);
    expect(flood.podsOverMax).toBeGreaterThan(0);
    expect(flood.extraNodes).toBeGreaterThan(0);
  });

  it('refuses a node type the NodePool would never launch, naming the config field', () => {
    const armOnly = { 'kubernetes.io/arch': { operator: 'In', values: ['arm64'] } };
    expect(() => checkNodeType('m7i.large', armOnly, 'dev')).toThrow(CapacityError);
    expect(() => checkNodeType('m7i.large', armOnly, 'dev')).toThrow(/dev: usage\.karpenter\.instanceType m7i\.large/);
    expect(() => checkNodeType('m7g.large', armOnly, 'dev')).not.toThrow();
    expect(instanceVcpus('m7g.2xlarge')).toBe(8);
  });
});
