import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR, loadPlatformConfig } from '../src/load.ts';

/** The real config with one edit to organization.yaml. */
function organizationWith(edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'innovate-foundations-'));
  cpSync(join(DEFAULT_CONFIG_DIR, 'environments'), join(dir, 'environments'), { recursive: true });
  const text = readFileSync(join(DEFAULT_CONFIG_DIR, 'organization.yaml'), 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  writeFileSync(join(dir, 'organization.yaml'), edited);
  return dir;
}

describe('foundations config', () => {
  it('loads the committed values', () => {
    const { foundations } = loadPlatformConfig().organization;
    expect(foundations.prodOu).toBe('Prod');
    expect(foundations.logArchive.objectLockMode).toBe('COMPLIANCE');
  });

  const cases: Array<[string, (text: string) => string, RegExp]> = [
    [
      "AWS's own aws/ebs key as the EBS default (the baseline creates its own)",
      (t) => t.replace('ebsDefaultKeyAlias: alias/innovate-ebs-default', 'ebsDefaultKeyAlias: alias/aws/ebs'),
      /organization\.yaml: foundations\.accountGuardrails\.ebsDefaultKeyAlias: expected a KMS alias/,
    ],
    [
      'a backup vault lock grace period shorter than AWS allows',
      (t) =>
        t.replace(
          'lock: { minRetentionDays: 7, changeableForDays: 3 }',
          'lock: { minRetentionDays: 7, changeableForDays: 1 }',
        ),
      /organization\.yaml: foundations\.backupCopies\.lock\.changeableForDays: /,
    ],
    [
      'security alert address that is not an e-mail',
      (t) => t.replace('securityAlertEmail: security-alerts@innovate.example.com', 'securityAlertEmail: security'),
      /organization\.yaml: foundations\.securityAlertEmail: /,
    ],
    [
      'security findings address that is not an e-mail',
      (t) => t.replace('alertEmail: security-findings@innovate.example.com', 'alertEmail: security'),
      /organization\.yaml: foundations\.securityFindings\.alertEmail: /,
    ],
    [
      'Slack channel id of the wrong form',
      (t) =>
        t.replace(
          'alertEmail: security-findings@innovate.example.com',
          'alertEmail: security-findings@innovate.example.com\n    slack: { workspaceId: T0123456789, channelId: general }',
        ),
      /foundations\.securityFindings\.slack\.channelId: expected a Slack channel id/,
    ],
    [
      'log-archive account id that is not 12 digits',
      (t) => t.replace('logArchive: { id: "100000000003"', 'logArchive: { id: "1003"'),
      /organization\.yaml: accounts\.logArchive\.id: expected a 12-digit AWS account id/,
    ],
    [
      'no group for the cluster-admin permission set',
      (t) => t.replace(/^ {6}clusterAdmin: .*\n/m, ''),
      /organization\.yaml: foundations\.identityCenter\.groups\.clusterAdmin: /,
    ],
    [
      'bad org id',
      (t) => t.replace('o-a1b2c3d4e5', 'org-1'),
      /foundations\.organizationId: expected an organization id/,
    ],
    [
      'OU parent declared later',
      (t) => t.replace('{ name: NonProd, parent: Workloads }', '{ name: NonProd, parent: Prod }'),
      /organizationalUnits\.3\.parent: unknown parent "Prod"/,
    ],
    [
      'account in an unknown OU',
      (t) => t.replace('prod: Prod, network', 'prod: Production, network'),
      /accountOus\.prod: unknown OU "Production"/,
    ],
    [
      'expiry before lock ends',
      (t) => t.replace('expireAfterDays: 2557', 'expireAfterDays: 300'),
      /logArchive\.expireAfterDays: must be at least/,
    ],
    [
      'session too long',
      (t) => t.replace('breakGlass: PT1H', 'breakGlass: PT24H'),
      /sessionDurations\.breakGlass: expected an ISO-8601/,
    ],
    [
      'missing group',
      (t) => t.replace(/\n\s+prodDataAccess: 90670000[^\n]+/, ''),
      /identityCenter\.groups\.prodDataAccess/,
    ],
    [
      'unknown account key',
      (t) => t.replace('accounts: [prod] }', 'accounts: [production] }'),
      /assignments\.4\.accounts\.0/,
    ],
  ];
  for (const [label, edit, expected] of cases) {
    it(`rejects ${label} naming the field`, () => {
      expect(() => loadPlatformConfig(organizationWith(edit))).toThrow(expected);
    });
  }
});
