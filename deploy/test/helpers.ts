import { loadPlatformConfig } from '@innovate/config';
import type { KubeObject } from '../src/chart.ts';
import { deployContext, renderObjects } from '../src/render.ts';

export const config = loadPlatformConfig();

/** Every rendered object of one environment, as Argo CD would apply it. */
export function objectsOf(envName: string): KubeObject[] {
  return [...renderObjects(deployContext(config, envName)).values()].flat();
}

export function find(objects: KubeObject[], kind: string, name?: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind && (name === undefined || object.metadata?.name === name));
}

// biome-ignore lint/suspicious/noExplicitAny: tests walk untyped rendered JSON.
export type Json = any;
