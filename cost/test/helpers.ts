/** Shared test helpers: the real config and price table, small synth outputs built in memory, usage overrides. */
import { join } from 'node:path';
import { loadPlatformConfig, type PlatformConfig, type ResolvedEnvironment, type Usage } from '@innovate/config';
import type { CostLine } from '../src/lines.ts';
import { type Estimate, estimate } from '../src/model.ts';
import { loadPriceTable } from '../src/price-table.ts';
import { type CfnResource, readSynth, type SynthStack } from '../src/synth.ts';

export const config = loadPlatformConfig();
export const prices = loadPriceTable();
export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const fixture = (name: string) => readSynth(join(FIXTURES, name));

export const DEV_ACCOUNT = config.environment('dev').account.id;
export const STAGING_ACCOUNT = config.environment('staging').account.id;
export const FOUNDATIONS_ACCOUNT = config.organization.accounts.foundations.id;

/** One stack in one account holding the given resources. */
export function stackOf(
  resources: Record<string, CfnResource>,
  account = DEV_ACCOUNT,
  name = 'test-stack',
  region = 'us-east-1',
): SynthStack[] {
  return [{ name, account, region, template: { Resources: resources } }];
}

/** Usage with everything zero: a test sets only what it prices, so expectations are computed by hand. */
export const ZERO_USAGE: Usage = {
  requestsMillions: 0,
  apiRequestShare: 0,
  apiWriteShare: 0,
  monthlyActiveUsers: 0,
  cdnGB: 0,
  natGB: 0,
  endpointGB: 0,
  logGB: 0,
  metricSamplesMillions: 0,
  karpenter: { instanceType: 'm7g.large', baselineNodeHours: 0, spotShare: 0 },
  alb: { count: 0, averageLcu: 0 },
  backupGB: 0,
  drSnapshotGB: 0,
  drCopyGB: 0,
  s3StorageGB: 0,
  ecrStorageGB: 0,
  dnsQueriesMillions: 0,
  sqsRequestsMillions: 0,
  kmsRequestsMillions: 0,
  secretsApiCallsMillions: 0,
  grafanaEditors: 0,
  grafanaViewers: 0,
  accountServices: {
    guardDutyEventsMillions: 0,
    guardDutyLogGB: 0,
    configItems: 0,
    configRuleEvaluations: 0,
    securityHubChecks: 0,
  },
};

/** The real config with every environment's usage replaced (partial override on top of zero usage). */
export function configWithUsage(
  usage: Partial<Usage>,
  edit: (env: ResolvedEnvironment) => ResolvedEnvironment = (e) => e,
): PlatformConfig {
  const environments = config.environments.map((env) => edit({ ...env, usage: { ...ZERO_USAGE, ...usage } }));
  const central = {
    logGB: 0,
    logRetentionDays: 365 as const,
    s3StorageGB: 0,
    accountServices: ZERO_USAGE.accountServices,
  };
  const organization = {
    ...config.organization,
    costModel: {
      ...config.organization.costModel,
      centralAccounts: { foundations: central, security: central, logArchive: central },
    },
  };
  return {
    organization,
    environments,
    environment: (name: string) => environments.find((env) => env.name === name) ?? config.environment(name),
  };
}

export const ZERO = configWithUsage({});

export function priceStacks(stacks: SynthStack[], cfg: PlatformConfig = ZERO): Estimate {
  return estimate(stacks, cfg, prices);
}

/** Lines of one resource (by logical id) or of the usage lines of one type. */
export function linesOf(result: Estimate, logicalId: string, type?: string): CostLine[] {
  return result.accounts
    .flatMap((account) => account.lines)
    .filter((line) => line.logicalId === logicalId && (type === undefined || line.type === type));
}

export function total(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
}
