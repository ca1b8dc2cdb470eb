/** The reports render, and the CLI writes them into the output folder (`.cost/` by default, git-ignored). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonReport } from '../src/report/json.ts';
import { markdownReport } from '../src/report/markdown.ts';
import { svgChart } from '../src/report/svg.ts';
import { FIXTURES, fixture, priceStacks } from './helpers.ts';

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    cwd: join(import.meta.dirname, '..'),
  });

// The CLI tests start node + tsx in a subprocess: slow on a loaded 2-core machine, so a generous timeout.
const CLI_TIMEOUT = 60_000;

describe('reports', () => {
  const result = priceStacks(fixture('base'));

  it('Markdown: totals per account, lines, unpriced list', () => {
    const md = markdownReport(result);
    expect(md).toContain('| Account | Fixed | Usage | Total |');
    expect(md).toMatch(/## prod \(100000000013\): \$[\d,]+\.\d\d per month/);
    expect(md).toContain(
      '| innovate-prod-network | PublicSubnet1NATGateway (AWS::EC2::NatGateway) | NAT gateway hours | fixed | 730 | gateway-hour | $0.045 | $32.85 |',
    );
    expect(md).toContain('- `AWS::EFS::FileSystem` × 1');
  });

  it('JSON: parses, totals equal the sum of the lines', () => {
    const json = JSON.parse(jsonReport(result));
    for (const account of json.accounts) {
      const sum = account.lines.reduce((t: number, l: { monthlyUsd: number }) => t + l.monthlyUsd, 0);
      expect(Math.abs(sum - account.totalUsd)).toBeLessThan(0.01 * account.lines.length);
    }
    expect(json.coverage.unpriced[0].type).toBe('AWS::EFS::FileSystem');
  });

  it('SVG: one fixed and one usage bar per account', () => {
    const svg = svgChart(result);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect /g)?.length).toBe(2 + 2 * result.accounts.length); // legend + bars
  });

  it(
    'the CLI leads with the per-account table, levers and unpriced list; lines only with --detail; writes the reports',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'cost-report-'));
      const done = run('report', '--synth', join(FIXTURES, 'base'), '--out', out);
      expect(done.status, done.stderr).toBe(0);
      const table = done.stdout.indexOf('Monthly cost per account');
      expect(table).toBeGreaterThanOrEqual(0);
      expect(done.stdout.indexOf('Biggest levers')).toBeGreaterThan(table);
      expect(done.stdout).toMatch(/^ {2}TOTAL\s+\$[\d,]+\.\d\d/m);
      expect(done.stdout).toContain('UNPRICED (not in the totals): AWS::EFS::FileSystem × 1');
      expect(done.stdout).not.toMatch(/NAT gateway hours/);
      const detail = run('report', '--synth', join(FIXTURES, 'base'), '--out', out, '--detail');
      expect(detail.stdout).toMatch(/^ {8}\S+: NAT gateway hours/m);
      for (const file of ['report.md', 'report.json', 'chart.svg', 'capacity.svg'])
        expect(existsSync(join(out, file)), file).toBe(true);
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('# Estimated monthly cost');
    },
    CLI_TIMEOUT,
  );

  it(
    'the CLI compare mode prints the per-line difference of two synth outputs and writes compare.md',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'cost-compare-'));
      const done = run(
        'compare',
        '--base',
        join(FIXTURES, 'base'),
        '--head',
        join(FIXTURES, 'prod-one-nat'),
        '--out',
        out,
      );
      expect(done.status, done.stderr).toBe(0);
      expect(done.stdout).toContain('### Cost change: -$73.00 per month');
      expect(done.stdout).toContain(
        '| prod | innovate-prod-network | PublicSubnet3NATGateway (AWS::EC2::NatGateway) |',
      );
      expect(readFileSync(join(out, 'compare.md'), 'utf8')).toBe(`${done.stdout.trimEnd()}\n`);
    },
    CLI_TIMEOUT,
  );

  it(
    'bad input ends with one line naming the problem and exit code 1',
    () => {
      const missing = run('report', '--synth', '/nonexistent/cdk.out');
      expect(missing.status).toBe(1);
      expect(missing.stderr.trim().split('\n')).toHaveLength(1);
      expect(missing.stderr).toMatch(/^cost: .*manifest\.json not found/);
      const unknown = run('frobnicate');
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toMatch(/^cost: unknown command "frobnicate"/);
    },
    CLI_TIMEOUT,
  );
});
