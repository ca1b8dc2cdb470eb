/**
 * `make diff` / `make deploy`'s preflight (scripts/preflight.ts), run as the targets run it: on this repository's
 * config it must refuse (placeholder ids), exit 2, one line per problem, no stack trace; on a copy of the config with
 * real-looking ids and seeded zones it must pass the offline checks; each refusal is shown on a copy that has only
 * that problem. The account check runs against a stand-in `aws` on PATH.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { afterAll, describe, expect, it } from 'vitest';
import { INFRA_DIR } from '../lib/app-context.ts';

const SCRIPT = join(INFRA_DIR, 'scripts', 'preflight.ts');
const CONFIG_DIR = join(INFRA_DIR, '..', 'config');
const scratch = mkdtempSync(join(tmpdir(), 'preflight-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** PATH with node and a shell but no `aws` (unless `aws` prints an account: then a stand-in that does). */
function pathWith(awsAccount?: string): string {
  const bin = mkdtempSync(join(scratch, 'bin-'));
  if (awsAccount) {
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\necho ${awsAccount}\n`);
    chmodSync(join(bin, 'aws'), 0o755);
  }
  return [bin, dirname(process.execPath), '/bin'].join(':');
}

function preflight(envName: string, options: { config?: string; cdkJson?: string; aws?: string } = {}) {
  const args = ['--import', 'tsx', SCRIPT, envName];
  if (options.config) args.push('--config', options.config);
  if (options.cdkJson) args.push('--cdk-json', options.cdkJson);
  const result = spawnSync(process.execPath, args, {
    cwd: INFRA_DIR,
    encoding: 'utf8',
    env: { PATH: pathWith(options.aws), HOME: scratch },
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

/**
 * A copy of config/ with every placeholder replaced by a real-looking value, and a cdk.json seeding the zones of
 * every account and region; `edit` then breaks one thing.
 */
function realLookingCopy(edit: (files: { organization: string; cdkJson: Record<string, unknown> }) => void = () => {}) {
  const dir = mkdtempSync(join(scratch, 'config-'));
  cpSync(CONFIG_DIR, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  const real = (text: string) =>
    text
      .replace(/"1000000000(\d\d)"/g, '"2345678901$1"')
      .replace('o-a1b2c3d4e5', 'o-k3x9q2m7p4')
      .replace('rootId: r-a1b2', 'rootId: r-k3x9')
      .replace('alertEmail: security-findings@innovate.example.com', 'alertEmail: security-findings@innovate.test');
  for (const file of [
    'organization.yaml',
    'environments/dev.yaml',
    'environments/staging.yaml',
    'environments/prod.yaml',
  ])
    writeFileSync(join(dir, file), real(readFileSync(join(dir, file), 'utf8')));
  const config = loadPlatformConfig(dir);
  const accounts = [
    ...Object.values(config.organization.accounts).map((a) => a.id),
    ...config.environments.map((e) => e.account.id),
  ];
  const regions = new Set(config.environments.flatMap((e) => [e.region, e.drRegion]));
  const context: Record<string, unknown> = {};
  for (const account of accounts)
    for (const region of regions)
      context[`availability-zones:account=${account}:region=${region}`] = ['a', 'b', 'c'].map((z) => `${region}${z}`);
  const files = { organization: readFileSync(join(dir, 'organization.yaml'), 'utf8'), cdkJson: context };
  edit(files);
  writeFileSync(join(dir, 'organization.yaml'), files.organization);
  writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ context: files.cdkJson }));
  return {
    config: dir,
    cdkJson: join(dir, 'cdk.json'),
    accountOf: (env: string) => config.environment(env).account.id,
  };
}

const lines = (stderr: string) => stderr.trim().split('\n');

describe('preflight refuses this repository’s placeholder config', () => {
  const run = preflight('dev');

  it('exit 2, no stack trace, one line per problem', () => {
    expect(run.status).toBe(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    for (const line of lines(run.stderr)) expect(line).toMatch(/^preflight dev: /);
  });

  it('names every placeholder account id, the file and the field to set', () => {
    expect(run.stderr).toContain(
      'preflight dev: config/environments/dev.yaml: account.id is the placeholder 100000000011; set the account id',
    );
    expect(run.stderr).toContain('config/environments/prod.yaml: account.id is the placeholder 100000000013');
    expect(run.stderr).toContain('config/organization.yaml: accounts.security.id is the placeholder 100000000002');
  });

  it('names the placeholder organization and root ids', () => {
    expect(run.stderr).toContain(
      'config/organization.yaml: foundations.organizationId is the placeholder o-a1b2c3d4e5',
    );
    expect(run.stderr).toContain('config/organization.yaml: foundations.rootId is the placeholder r-a1b2');
  });

  it('names the placeholder security findings address (findings would reach nobody)', () => {
    expect(run.stderr).toContain(
      'config/organization.yaml: foundations.securityFindings.alertEmail is the placeholder security-findings@innovate.example.com',
    );
  });

  it('refuses an unknown environment by name', () => {
    const unknown = preflight('qa');
    expect(unknown.status).toBe(2);
    expect(lines(unknown.stderr)).toEqual(['preflight qa: unknown environment "qa"; known: dev, staging, prod']);
  });
});

describe('preflight on a copy of config with real-looking ids', () => {
  it('passes the offline checks; without credentials it says the account check is skipped', () => {
    const copy = realLookingCopy();
    const run = preflight('dev', copy);
    expect(run.stderr).toContain('the aws CLI is not installed; the account check is skipped');
    expect(run.status).toBe(0);
  });

  it('passes with credentials of the environment’s own account', () => {
    const copy = realLookingCopy();
    const run = preflight('staging', { ...copy, aws: copy.accountOf('staging') });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('preflight staging: config and credentials fit staging');
  });

  it('refuses credentials of another account, naming both', () => {
    const copy = realLookingCopy();
    const run = preflight('prod', { ...copy, aws: copy.accountOf('dev') });
    expect(run.status).toBe(2);
    expect(lines(run.stderr)).toEqual([
      `preflight prod: AWS credentials are for account ${copy.accountOf('dev')}, not prod's ${copy.accountOf('prod')} (account.id in its config file); sign in to prod (aws sso login --profile innovate-prod) or set AWS_PROFILE`,
    ]);
  });

  it('refuses a missing availability-zones context key, naming the key and the command that lists the zones', () => {
    const copy = realLookingCopy(({ cdkJson }) => {
      for (const key of Object.keys(cdkJson)) if (key.endsWith('region=us-west-2')) delete cdkJson[key];
    });
    const run = preflight('dev', copy);
    expect(run.status).toBe(2);
    const refusals = lines(run.stderr);
    expect(refusals.length).toBeGreaterThan(0);
    for (const line of refusals)
      expect(line).toMatch(
        /cdk\.json: context has no "availability-zones:account=\d{12}:region=us-west-2"; add the zone names `aws ec2 describe-availability-zones --region us-west-2/,
      );
  });

  it('refuses a placeholder organization id alone', () => {
    const copy = realLookingCopy((files) => {
      files.organization = files.organization.replace('o-k3x9q2m7p4', 'o-a1b2c3d4e5');
    });
    const run = preflight('dev', copy);
    expect(run.status).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain('foundations.organizationId is the placeholder o-a1b2c3d4e5');
  });
});
