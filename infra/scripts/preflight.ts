/**
 * Runs before `make diff` and `make deploy` touch AWS: refuses a configuration that cannot be deployed as it stands,
 * one line per problem naming what to set and where, exit 2 (never a stack trace).
 *
 *   npx tsx scripts/preflight.ts <env> [--config <dir>] [--cdk-json <file>]
 *
 * Offline checks (always): no placeholder account id (`1000000000NN`) anywhere in config/ (the templates of one
 * environment name the others' accounts: promotion pulls, the organization's accounts); no placeholder organization
 * or root id; no example-domain address for security findings; the availability zones of every account and region seeded in cdk.json (or cdk.context.json), because
 * `cdk synth --no-lookups` cannot look them up. With AWS credentials present (the `aws` CLI finds some), the caller
 * must be in the environment's account; without any, that check is skipped with a notice and cdk itself stops.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { loadPlatformConfig, type PlatformConfig } from '@innovate/config';
import { CDK_JSON } from '../lib/app-context.ts';

/** The account ids this repository ships with (docs/deployment.md): `100000000001` … `100000000099`. */
export const PLACEHOLDER_ACCOUNT_ID = /^1000000000\d\d$/;
/** The organization and root ids committed in config/organization.yaml until a person sets the real ones. */
export const PLACEHOLDER_ORGANIZATION_ID = 'o-a1b2c3d4e5';
export const PLACEHOLDER_ROOT_ID = 'r-a1b2';

const REPO_ROOT = join(dirname(CDK_JSON), '..');

/** A path as a person finds it: from the repository root when inside it (`config/environments/dev.yaml`). */
function shown(path: string): string {
  const fromRoot = relative(REPO_ROOT, path);
  return fromRoot.startsWith('..') || isAbsolute(fromRoot) ? path : fromRoot;
}

export interface PreflightInput {
  config: PlatformConfig;
  /** The config folder, for messages (`config/environments/dev.yaml`). */
  configDir: string;
  /** Context the CLI gives the app: cdk.json's `context`, overlaid by cdk.context.json when present. */
  context: Record<string, unknown>;
  /** Where the context came from, for messages. */
  cdkJsonPath: string;
}

/** The offline refusals, one line each; empty when the configuration can be deployed. */
export function offlineRefusals(envName: string, input: PreflightInput): string[] {
  const { config, configDir, context } = input;
  config.environment(envName); // an unknown environment is refused by name
  const where = (...parts: string[]) => shown(join(configDir, ...parts));
  const refusals: string[] = [];

  const accounts: { file: string; field: string; id: string }[] = [
    ...Object.entries(config.organization.accounts).map(([key, account]) => ({
      file: where('organization.yaml'),
      field: `accounts.${key}.id`,
      id: account.id,
    })),
    ...Object.entries(config.organization.foundations.optionalAccounts).flatMap(([key, account]) =>
      account
        ? [{ file: where('organization.yaml'), field: `foundations.optionalAccounts.${key}.id`, id: account.id }]
        : [],
    ),
    ...config.environments.map((e) => ({
      file: where('environments', `${e.name}.yaml`),
      field: 'account.id',
      id: e.account.id,
    })),
  ];
  for (const { file, field, id } of accounts) {
    if (PLACEHOLDER_ACCOUNT_ID.test(id))
      refusals.push(
        `${file}: ${field} is the placeholder ${id}; set the account id AWS Organizations shows (docs/deployment.md, "Organization, then the accounts exist")`,
      );
  }

  const foundations = config.organization.foundations;
  if (foundations.organizationId === PLACEHOLDER_ORGANIZATION_ID)
    refusals.push(
      `${where('organization.yaml')}: foundations.organizationId is the placeholder ${PLACEHOLDER_ORGANIZATION_ID}; set the o-… id of your organization (aws organizations describe-organization)`,
    );
  if (foundations.rootId === PLACEHOLDER_ROOT_ID)
    refusals.push(
      `${where('organization.yaml')}: foundations.rootId is the placeholder ${PLACEHOLDER_ROOT_ID}; set the r-… id of your organization root (aws organizations list-roots)`,
    );

  // Findings e-mailed to a reserved example domain reach nobody, and nothing else would tell a person.
  if (/@(?:[a-z0-9-]+\.)*example\.(?:com|net|org)$/i.test(foundations.securityFindings.alertEmail))
    refusals.push(
      `${where('organization.yaml')}: foundations.securityFindings.alertEmail is the placeholder ${foundations.securityFindings.alertEmail}; set the mailbox of the people who act on security findings (docs/runbooks/security-findings.md)`,
    );

  // Only real-looking accounts: a placeholder is refused above, and seeding its zones would not help.
  const regions = new Set([
    config.organization.primaryRegion,
    config.organization.drRegion,
    ...config.environments.flatMap((e) => [e.region, e.drRegion]),
  ]);
  for (const { id } of accounts.filter((a) => !PLACEHOLDER_ACCOUNT_ID.test(a.id))) {
    for (const region of [...regions].sort()) {
      const key = `availability-zones:account=${id}:region=${region}`;
      if (!Array.isArray(context[key]) || (context[key] as unknown[]).length === 0)
        refusals.push(
          `${shown(input.cdkJsonPath)}: context has no "${key}"; add the zone names \`aws ec2 describe-availability-zones --region ${region} --query 'AvailabilityZones[].ZoneName'\` prints in that account`,
        );
    }
  }
  return refusals;
}

/** What `aws sts get-caller-identity` says: the account, no credentials at all, or another failure. */
export type CallerIdentity = { account: string } | { absent: string } | { error: string };

export function callerIdentity(): CallerIdentity {
  const result = spawnSync('aws', ['sts', 'get-caller-identity', '--query', 'Account', '--output', 'text'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) return { absent: 'the aws CLI is not installed' };
  const stderr = (result.stderr ?? '').trim();
  if (result.status !== 0) {
    if (/Unable to locate credentials|NoCredentials/i.test(stderr)) return { absent: 'no AWS credentials found' };
    return { error: stderr.split('\n').find((l) => l.trim()) ?? `exit ${result.status}` };
  }
  return { account: (result.stdout ?? '').trim() };
}

/** The credential refusal (or none) for the environment, given who the caller is. */
export function credentialRefusal(envName: string, config: PlatformConfig, caller: CallerIdentity): string | null {
  const env = config.environment(envName);
  if ('error' in caller)
    return `AWS credentials: ${caller.error}; sign in again for ${envName} (aws sso login --profile ${env.names.prefix})`;
  if ('account' in caller && caller.account !== env.account.id)
    return `AWS credentials are for account ${caller.account}, not ${envName}'s ${env.account.id} (account.id in its config file); sign in to ${envName} (aws sso login --profile ${env.names.prefix}) or set AWS_PROFILE`;
  return null;
}

function readContext(cdkJsonPath: string): Record<string, unknown> {
  const json = JSON.parse(readFileSync(cdkJsonPath, 'utf8')) as { context?: Record<string, unknown> };
  const contextFile = join(dirname(cdkJsonPath), 'cdk.context.json');
  const saved = existsSync(contextFile)
    ? (JSON.parse(readFileSync(contextFile, 'utf8')) as Record<string, unknown>)
    : {};
  return { ...(json.context ?? {}), ...saved };
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const envName = args[0];
  const refusals: string[] = [];
  try {
    if (!envName || envName.startsWith('--'))
      throw new Error('usage: preflight.ts <env> [--config <dir>] [--cdk-json <file>]');
    const configDir = option(args, '--config') ?? (process.env.INNOVATE_CONFIG_DIR || join(REPO_ROOT, 'config'));
    const cdkJsonPath = option(args, '--cdk-json') ?? CDK_JSON;
    const config = loadPlatformConfig(configDir);
    refusals.push(...offlineRefusals(envName, { config, configDir, context: readContext(cdkJsonPath), cdkJsonPath }));
    if (refusals.length === 0) {
      const caller = callerIdentity();
      if ('absent' in caller)
        process.stderr.write(`preflight: ${caller.absent}; the account check is skipped (cdk needs credentials)\n`);
      const refusal = credentialRefusal(envName, config, caller);
      if (refusal) refusals.push(refusal);
    }
  } catch (error) {
    refusals.push(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
  }
  for (const refusal of refusals) process.stderr.write(`preflight ${envName ?? ''}: ${refusal}\n`);
  if (refusals.length > 0) process.exit(2);
  process.stdout.write(`preflight ${envName}: config and credentials fit ${envName}\n`);
}
