/**
 * A bad config value stops `bin/app.ts` with one line naming the field and exit code 1: no stack trace, no partial
 * cloud assembly.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdkJsonContext, INFRA_DIR } from '../lib/app-context.ts';

const CONFIG_DIR = join(INFRA_DIR, '..', 'config');

function runWith(file: string, edit: (text: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'innovate-infra-config-'));
  cpSync(join(CONFIG_DIR, 'organization.yaml'), join(dir, 'organization.yaml'));
  cpSync(join(CONFIG_DIR, 'environments'), join(dir, 'environments'), { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return spawnSync('npx', ['tsx', 'bin/app.ts'], {
    cwd: INFRA_DIR,
    encoding: 'utf8',
    env: {
      ...process.env,
      INNOVATE_CONFIG_DIR: dir,
      CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'innovate-infra-out-')),
      CDK_CONTEXT_JSON: JSON.stringify(cdkJsonContext()),
    },
  });
}

describe('bad config input', () => {
  it('a schema error names the file and field in one line', () => {
    const result = runWith('environments/prod.yaml', (text) =>
      text.replace('vpcCidr: 10.20.0.0/16', 'vpcCidr: 10.20.1.0/16'),
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^config: environments\/prod\.yaml: network\.vpcCidr: /);
  });

  it('a Kubernetes version without a kubectl layer names cluster.kubernetesVersion in one line', () => {
    const result = runWith('environments/dev.yaml', (text) =>
      text.replace('kubernetesVersion: "1.36"', 'kubernetesVersion: "1.29"'),
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'config: cluster.kubernetesVersion: 1.29 has no kubectl layer here; known: 1.35, 1.36',
    );
  });

  it('a database.restore time that is no instant names the field in one line', () => {
    // Every restore case is in config/test/load.test.ts; this one proves the CLI path.
    const anchor = '  crossRegionCopy: { enabled: true, retentionDays: 14 }\n';
    const restore =
      '{ pointInTime: { sourceInstanceIdentifier: innovate-prod-postgres, restoreTime: "2026-02-30T10:00:00Z" } }';
    const result = runWith('environments/prod.yaml', (text) =>
      text.replace(anchor, `${anchor}  restore: ${restore}\n`),
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'config: environments/prod.yaml: database.restore.pointInTime.restoreTime: expected an ISO 8601 UTC instant such as 2026-12-03T10:14:00Z',
    );
  });
});
