import { loadPlatformConfig } from '@innovate/config';
import { Testing } from 'cdk8s';
import type { KubeObject } from '../src/chart.ts';
import { buildCharts, deployContext } from '../src/render.ts';

export const config = loadPlatformConfig();

/** Every object of one environment, synthesized chart by chart with cdk8s `Testing.synth`. */
export function objectsOf(envName: string): KubeObject[] {
  return buildCharts(deployContext(config, envName)).flatMap((chart) => Testing.synth(chart) as KubeObject[]);
}

export function find(objects: KubeObject[], kind: string, name?: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind && (name === undefined || object.metadata?.name === name));
}

// biome-ignore lint/suspicious/noExplicitAny: tests walk untyped rendered JSON.
export type Json = any;
