/**
 * Which account a stack deploys to, and the usage assumptions that go with it.
 *
 * Accounts are matched by id from the manifest against the config, so the model never relies on stack names.
 */
import type { AccountServicesUsage, PlatformConfig, ResolvedEnvironment, Usage } from '@innovate/config';
import type { Region } from './price-table.ts';

export interface AccountContext {
  label: string;
  id: string;
  primaryRegion: Region;
  drRegion: Region;
  /** The workload environment, if this is a workload account. */
  env?: ResolvedEnvironment;
  /** Usage of the month; central accounts carry only logs, S3 and the per-account services (the rest is zero). */
  usage: Usage;
  logRetentionDays: number;
}

export class AccountError extends Error {
  override name = 'AccountError';
}

const NO_USAGE: Omit<Usage, 'logGB' | 's3StorageGB' | 'accountServices'> = {
  requestsMillions: 0,
  apiRequestShare: 0,
  apiWriteShare: 0,
  monthlyActiveUsers: 0,
  cdnGB: 0,
  natGB: 0,
  endpointGB: 0,
  metricSamplesMillions: 0,
  karpenter: { instanceType: 'm7g.large', baselineNodeHours: 0, spotShare: 0 },
  alb: { count: 0, averageLcu: 0 },
  backupGB: 0,
  drSnapshotGB: 0,
  drCopyGB: 0,
  ecrStorageGB: 0,
  dnsQueriesMillions: 0,
  sqsRequestsMillions: 0,
  kmsRequestsMillions: 0,
  secretsApiCallsMillions: 0,
  grafanaEditors: 0,
  grafanaViewers: 0,
};

export function accountContexts(config: PlatformConfig): AccountContext[] {
  const org = config.organization;
  const workloads = config.environments.map(
    (env): AccountContext => ({
      label: env.name,
      id: env.account.id,
      primaryRegion: env.region,
      drRegion: env.drRegion,
      env,
      usage: env.usage,
      logRetentionDays: env.observability.logRetentionDays,
    }),
  );
  const central = (['foundations', 'security', 'logArchive'] as const).map((label): AccountContext => {
    const usage = org.costModel.centralAccounts[label];
    return {
      label,
      id: org.accounts[label].id,
      primaryRegion: org.primaryRegion,
      drRegion: org.drRegion,
      usage: {
        ...NO_USAGE,
        logGB: usage.logGB,
        s3StorageGB: usage.s3StorageGB,
        accountServices: usage.accountServices satisfies AccountServicesUsage,
      },
      logRetentionDays: usage.logRetentionDays,
    };
  });
  return [...workloads, ...central];
}

export function accountById(accounts: readonly AccountContext[], id: string, stack: string): AccountContext {
  const found = accounts.find((account) => account.id === id);
  if (!found) {
    throw new AccountError(
      `stack ${stack}: account ${id} is not in config (known: ${accounts.map((a) => `${a.label}=${a.id}`).join(', ')})`,
    );
  }
  return found;
}
