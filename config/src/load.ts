/**
 * Loads and validates the platform configuration: `organization.yaml` plus one file per environment.
 *
 * Every error names the file and the field (`environments/prod.yaml: network.vpcCidr: ...`), so a mistake in
 * config is a one-line fix, never a stack trace from deep inside a synth.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { z } from 'zod';
import { type EnvironmentNames, environmentNames } from './names.ts';
import {
  type EnvironmentConfig,
  type EnvironmentName,
  environmentSchema,
  type OrganizationConfig,
  organizationSchema,
} from './schema.ts';

/** The cost-allocation tag keys of requirement COST-1, as they appear on AWS resources and in the tag policy. */
export const COST_TAG_KEYS = ['env', 'app', 'owner', 'cost-center'] as const;
export type CostTags = Record<(typeof COST_TAG_KEYS)[number], string>;

export interface ResolvedEnvironment extends Omit<EnvironmentConfig, 'tags'> {
  /** The four cost tags, organization defaults merged with the environment's overrides. */
  tags: CostTags;
  names: EnvironmentNames;
}

export interface PlatformConfig {
  organization: OrganizationConfig;
  /** In promotion order: dev, staging, prod. */
  environments: ResolvedEnvironment[];
  environment(name: string): ResolvedEnvironment;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const PROMOTION_ORDER: readonly EnvironmentName[] = ['dev', 'staging', 'prod'];
export const DEFAULT_CONFIG_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export function loadPlatformConfig(dir: string = DEFAULT_CONFIG_DIR): PlatformConfig {
  const organization = parseFile(join(dir, 'organization.yaml'), organizationSchema, dir);
  const envDir = join(dir, 'environments');
  const files = readdirSync(envDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort();
  const environments = files.map((file) => {
    const path = join(envDir, file);
    const env = parseFile(path, environmentSchema, dir);
    if (basename(file, '.yaml') !== env.name) {
      throw new ConfigError(`${relative(dir, path)}: name: "${env.name}" must match the file name`);
    }
    return resolve(env, organization);
  });
  environments.sort((a, b) => PROMOTION_ORDER.indexOf(a.name) - PROMOTION_ORDER.indexOf(b.name));
  checkAcrossEnvironments(environments);
  return {
    organization,
    environments,
    environment(name: string): ResolvedEnvironment {
      const found = environments.find((env) => env.name === name);
      if (!found) {
        throw new ConfigError(`unknown environment "${name}"; known: ${environments.map((e) => e.name).join(', ')}`);
      }
      return found;
    },
  };
}

function resolve(env: EnvironmentConfig, org: OrganizationConfig): ResolvedEnvironment {
  const merged = { ...org.tags, ...env.tags };
  return {
    ...env,
    tags: { env: env.name, app: merged.app, owner: merged.owner, 'cost-center': merged.costCenter },
    names: environmentNames(env, org),
  };
}

function parseFile<S extends z.ZodType>(path: string, schema: S, root: string): z.infer<S> {
  const shown = relative(root, path);
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${shown}: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${shown}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  return result.data;
}

function checkAcrossEnvironments(environments: ResolvedEnvironment[]): void {
  const seen = new Map<string, string>();
  for (const env of environments) {
    for (const [other, cidr] of seen) {
      if (cidrsOverlap(cidr, env.network.vpcCidr)) {
        throw new ConfigError(
          `environments/${env.name}.yaml: network.vpcCidr: ${env.network.vpcCidr} overlaps ${other} (${cidr})`,
        );
      }
    }
    seen.set(env.name, env.network.vpcCidr);
  }
  const accounts = new Map<string, string>();
  for (const env of environments) {
    const other = accounts.get(env.account.id);
    if (other) {
      throw new ConfigError(`environments/${env.name}.yaml: account.id: already used by ${other}`);
    }
    accounts.set(env.account.id, env.name);
  }
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [startA, endA] = cidrRange(a);
  const [startB, endB] = cidrRange(b);
  return startA <= endB && startB <= endA;
}

function cidrRange(cidr: string): [number, number] {
  const [address = '', prefix = '32'] = cidr.split('/');
  const start = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [start, start + 2 ** (32 - Number(prefix)) - 1];
}
