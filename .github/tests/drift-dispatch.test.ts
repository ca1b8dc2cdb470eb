/**
 * Argo CD's drift reaches the same issue as CloudFormation's (ADR 0092, requirement DEL-5): drift.yml takes
 * repository_dispatch `argocd-drift` (the event the render's notifications template sends), validates the payload,
 * and hands it to drift-issue.sh, which keeps one issue per environment with a section per source. The job's own
 * run: steps are executed here, in order, with a stand-in `gh` (fixtures/gh) holding the issues.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { beforeEach, describe, expect, it } from 'vitest';
import { DRIFT_EVENT_TYPE } from '../../deploy/src/charts/argocd-notifications.ts';
import { type Json, REPO_ROOT, workflows } from './helpers.ts';

const config = loadPlatformConfig();
const drift = workflows().find((w) => w.file === 'drift.yml')?.doc as Json;
const FAKE_BIN = join(REPO_ROOT, '.github', 'tests', 'fixtures');
const REPORT = join(REPO_ROOT, '.github', 'scripts', 'argocd-drift-report.sh');
const ISSUE = join(REPO_ROOT, '.github', 'scripts', 'drift-issue.sh');

const payload = (overrides: Record<string, unknown> = {}) => ({
  environment: 'staging',
  application: 'api',
  sync_status: 'OutOfSync',
  health: 'Healthy',
  revision: 'a'.repeat(40),
  operation: 'Succeeded',
  message: 'successfully synced (all tasks run)',
  out_of_sync: [{ group: 'apps', kind: 'Deployment', namespace: 'api', name: 'api' }],
  ...overrides,
});

let state: string;
beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'drift-'));
});
const issues = (): Json[] => JSON.parse(readFileSync(join(state, 'issues.json'), 'utf8'));

/**
 * Runs the argocd job's run: steps as Actions would for one repository_dispatch: every `${{ }}` must be one this
 * table knows (an unknown one fails the test), step outputs come from $GITHUB_OUTPUT, and bash runs as Actions runs
 * it (`bash --noprofile --norc -eo pipefail`).
 */
function runArgoCdJob(clientPayload: unknown): { status: number; stderr: string } {
  const outputs: Record<string, Record<string, string>> = {};
  const expression = (expr: string): string => {
    const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (step) return outputs[step[1] as string]?.[step[2] as string] ?? '';
    const known: Record<string, string> = {
      'toJSON(github.event.client_payload)': JSON.stringify(clientPayload),
      'github.token': 'stand-in-token',
      'github.server_url': 'https://github.com',
      'github.repository': 'o/r',
      'github.run_id': '42',
    };
    if (!(expr in known)) throw new Error(`drift.yml argocd job: expression not modelled here: ${expr}`);
    return known[expr] as string;
  };
  const resolve = (text: string) => text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => expression(expr));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-'));
  for (const step of drift.jobs.argocd.steps as Json[]) {
    if (!step.run) continue;
    const outputFile = join(runnerTemp, `output-${step.id ?? 'step'}`);
    writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      PATH: `${FAKE_BIN}:${process.env.PATH}`,
      HOME: runnerTemp,
      GH_STATE: state,
      GITHUB_REPOSITORY: 'o/r',
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: outputFile,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, resolve(String(v))])),
    };
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', resolve(step.run)], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) return { status: result.status ?? 1, stderr: result.stderr };
    if (step.id)
      outputs[step.id] = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
  }
  return { status: 0, stderr: '' };
}

describe('drift.yml: Argo CD reports arrive by repository_dispatch', { timeout: 60_000 }, () => {
  it('listens for exactly the event type the render sends, in a job of its own with no cloud identity', () => {
    expect(drift.on.repository_dispatch).toEqual({ types: [DRIFT_EVENT_TYPE] });
    expect(drift.jobs.argocd.if).toBe("github.event_name == 'repository_dispatch'");
    expect(drift.jobs.cloudformation.if).toBe("github.event_name != 'repository_dispatch'");
    expect(drift.jobs.argocd.permissions).toEqual({ contents: 'read', issues: 'write' });
    // No OIDC token: nothing an Argo CD report triggers can assume an AWS role.
    expect(JSON.stringify(drift.jobs.argocd)).not.toContain('id-token');
    // The payload is never spliced into a script: it reaches run: blocks only through env.
    for (const step of drift.jobs.argocd.steps as Json[]) expect(step.run ?? '').not.toContain('github.event');
  });

  it('opens the environment issue with an Argo CD section naming the out-of-sync resources', () => {
    expect(runArgoCdJob(payload())).toEqual({ status: 0, stderr: '' });
    const [issue] = issues();
    expect(issue.title).toBe('Infrastructure drift: staging');
    expect(issue.labels).toEqual(['drift']);
    expect(issue.body).toContain('<!-- drift:argocd/api -->');
    expect(issue.body).toContain('| apps | Deployment | api | api |');
    expect(issue.body).toContain('https://github.com/o/r/actions/runs/42');
  });

  it('keeps one issue per environment whatever the source: a section per source, each replaced by its latest report', () => {
    const cfnReport = join(state, 'cfn.md');
    writeFileSync(cfnReport, '### CloudFormation\n\n| innovate-staging-data | us-east-1 | DRIFTED |\n');
    execFileSync(ISSUE, ['staging', 'cloudformation', cfnReport, 'run-1'], {
      env: { ...process.env, PATH: `${FAKE_BIN}:${process.env.PATH}`, GH_STATE: state, GITHUB_REPOSITORY: 'o/r' },
    });
    expect(runArgoCdJob(payload())).toEqual({ status: 0, stderr: '' });
    const next = payload({ out_of_sync: [{ group: '', kind: 'Service', namespace: 'api', name: 'api-stable' }] });
    expect(runArgoCdJob(next)).toEqual({ status: 0, stderr: '' });
    expect(runArgoCdJob(payload({ application: 'platform', out_of_sync: [] }))).toEqual({ status: 0, stderr: '' });
    expect(runArgoCdJob(payload({ environment: 'dev' }))).toEqual({ status: 0, stderr: '' });

    const all = issues();
    expect(all.map((i) => i.title).sort()).toEqual(['Infrastructure drift: dev', 'Infrastructure drift: staging']);
    const staging = all.find((i) => i.title.endsWith('staging'));
    const body: string = staging.body;
    expect(body.match(/<!-- drift:cloudformation -->/g)).toHaveLength(1);
    expect(body).toContain('innovate-staging-data');
    expect(body.match(/<!-- drift:argocd\/api -->/g)).toHaveLength(1);
    // The api section is the latest report's, not the first one's.
    expect(body).toContain('| core | Service | api | api-stable |');
    expect(body).not.toContain('| apps | Deployment | api | api |');
    expect(body).toContain('<!-- drift:argocd/platform -->');
    // Every report after the first is also a comment, so a concurrent edit of the body loses none.
    expect(staging.comments).toHaveLength(3);
  });

  it.each([
    [{ environment: 'qa' }, `client_payload.environment "qa" is not one of: ${envList()}`],
    [{ environment: 'prod;rm -rf /' }, 'client_payload.environment'],
    [{ application: 'api | injected' }, 'client_payload.application "api | injected" is not a Kubernetes name'],
    [{ sync_status: 'Drifted' }, 'client_payload.sync_status "Drifted" is not an Argo CD sync status'],
    [{ revision: '$(id)' }, 'client_payload.revision'],
    [
      { out_of_sync: [{ kind: 'Deployment', name: 'x|y', namespace: 'api', group: 'apps' }] },
      'client_payload.out_of_sync[0]',
    ],
  ])('refuses %j in one line naming the field, and touches no issue', (overrides, message) => {
    const result = runArgoCdJob(payload(overrides));
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr).toContain(`argocd-drift: ${message}`);
    expect(() => issues()).toThrow(); // the stand-in gh was never called
  });

  it('accepts exactly the environments config defines', () => {
    for (const env of config.environments) {
      const out = execFileSync(REPORT, [writePayload(payload({ environment: env.name })), join(state, 'r.md')], {
        encoding: 'utf8',
      });
      expect(out).toBe(`environment=${env.name}\nsection=argocd/api\n`);
    }
  });
});

function envList(): string {
  return config.environments
    .map((env) => env.name)
    .sort()
    .join(' ');
}

function writePayload(value: unknown): string {
  const file = join(state, 'payload.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}
