/**
 * Promotion carries its evidence (ADR 0093, 0094): the copy to the target's ECR takes the attestations along
 * (regctl with --referrers, a pinned build), and staging -> prod requires the artifacts staging's passed API and
 * browser smoke left for that digest. Checked on the real workflows, on mutated copies that must be caught, and by
 * running .github/scripts/smoke-evidence.sh against a stand-in `gh` that answers like the artifacts API.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Json, REPO_ROOT, workflows } from './helpers.ts';

const docs = () => Object.fromEntries(workflows().map((w) => [w.file, structuredClone(w.doc)])) as Record<string, Json>;
/** A workflow expression, `${{ <text> }}`, as the parsed YAML holds it. */
const expr = (text: string) => `\${{ ${text} }}`;
const stepIndex = (job: Json, pattern: RegExp): number =>
  (job?.steps ?? []).findIndex((s: Json) => pattern.test(`${s.uses ?? ''}\n${s.run ?? ''}`));

/** Problems with the evidence the promotion carries and requires, one line each. */
export function evidenceProblems(w: Record<string, Json>): string[] {
  const problems: string[] = [];
  const copyJob = w['promote.yml'].jobs['copy-and-sign'];
  const steps: Json[] = copyJob?.steps ?? [];
  const copy = stepIndex(copyJob, /regctl image copy/);
  if (copy < 0) problems.push('promote.yml copy-and-sign: no regctl image copy');
  else if (!/regctl image copy --referrers /.test(steps[copy].run))
    problems.push('promote.yml copy-and-sign: the copy leaves the attestations (referrers) behind');
  if (steps.some((s) => /skopeo/.test(s.run ?? '')))
    problems.push('promote.yml copy-and-sign: skopeo copies no referrers');
  const install = stepIndex(copyJob, /go install github\.com\/regclient\/regclient\/cmd\/regctl@v\d+\.\d+\.\d+ /);
  if (install < 0) problems.push('promote.yml copy-and-sign: regctl is not installed at a pinned version');
  else if (copy >= 0 && install > copy) problems.push('promote.yml copy-and-sign: regctl used before it is installed');

  const check = stepIndex(copyJob, /smoke-evidence\.sh check staging "\$DIGEST"/);
  if (check < 0) problems.push("promote.yml copy-and-sign: staging's smoke evidence is not checked");
  else {
    const step = steps[check];
    if (step.if !== "inputs.promotion == 'staging-to-prod'")
      problems.push('promote.yml copy-and-sign: the smoke evidence check does not run exactly for staging -> prod');
    if (step.env?.DIGEST !== expr('steps.from.outputs.pinned_digest'))
      problems.push('promote.yml copy-and-sign: the smoke evidence is checked for another digest than the copied one');
    if (copy >= 0 && check > copy)
      problems.push('promote.yml copy-and-sign: copies before checking the smoke evidence');
  }
  if (copyJob?.permissions?.actions !== 'read')
    problems.push('promote.yml copy-and-sign: no actions: read (the artifacts API)');

  const smokeJob = w['smoke.yml'].jobs.smoke;
  const smokeSteps: Json[] = smokeJob?.steps ?? [];
  const ran = stepIndex(smokeJob, /make smoke-"\$SUITE"/);
  const named = stepIndex(smokeJob, /smoke-evidence\.sh name "\$ENVIRONMENT" "\$SUITE" "\$DIGEST"/);
  const upload = stepIndex(smokeJob, /^actions\/upload-artifact@[0-9a-f]{40}$/m);
  if (ran < 0) problems.push('smoke.yml: does not run make smoke-<suite>');
  if (named < 0 || upload < 0) problems.push('smoke.yml: leaves no evidence artifact named by smoke-evidence.sh');
  else {
    if (ran >= 0 && (named < ran || upload < ran)) problems.push('smoke.yml: leaves evidence before the smoke passed');
    if (smokeSteps[named].env?.DIGEST !== expr('steps.target.outputs.pinned_digest'))
      problems.push('smoke.yml: the evidence names another digest than the one pinned for the environment');
    if (smokeSteps[upload].with?.name !== expr(`steps.${smokeSteps[named].id}.outputs.name`))
      problems.push('smoke.yml: the artifact is not uploaded under the evidence name');
    for (const s of smokeSteps.slice(ran, upload + 1))
      if (s.if !== undefined || s['continue-on-error'] !== undefined)
        problems.push('smoke.yml: a step between the smoke and the upload can run after a failure');
  }
  return problems;
}

describe('promotion evidence in the workflows', () => {
  it('holds on the real workflows', () => {
    expect(evidenceProblems(docs())).toEqual([]);
  });

  const mutations: Array<[string, (w: Record<string, Json>) => void]> = [
    [
      'a copy without --referrers',
      (w) => {
        const step = w['promote.yml'].jobs['copy-and-sign'].steps.find((s: Json) =>
          /regctl image copy/.test(s.run ?? ''),
        );
        step.run = step.run.replace('--referrers ', '');
      },
    ],
    [
      'a floating regctl version',
      (w) => {
        const step = w['promote.yml'].jobs['copy-and-sign'].steps.find((s: Json) => /go install/.test(s.run ?? ''));
        step.run = step.run.replace(/@v[\d.]+/, '@latest');
      },
    ],
    [
      'no smoke evidence check',
      (w) => {
        const job = w['promote.yml'].jobs['copy-and-sign'];
        job.steps = job.steps.filter((s: Json) => !/smoke-evidence/.test(s.run ?? ''));
      },
    ],
    [
      'the check on every promotion but for the wrong one',
      (w) => {
        const step = w['promote.yml'].jobs['copy-and-sign'].steps.find((s: Json) => /smoke-evidence/.test(s.run ?? ''));
        step.if = "inputs.promotion == 'dev-to-staging'";
      },
    ],
    [
      'the check after the copy',
      (w) => {
        const job = w['promote.yml'].jobs['copy-and-sign'];
        const i = job.steps.findIndex((s: Json) => /smoke-evidence/.test(s.run ?? ''));
        job.steps.push(...job.steps.splice(i, 1));
      },
    ],
    [
      'evidence uploaded even when the smoke failed',
      (w) => {
        const step = w['smoke.yml'].jobs.smoke.steps.find((s: Json) => /upload-artifact/.test(s.uses ?? ''));
        step.if = 'always()';
      },
    ],
    [
      'evidence for the wrong digest',
      (w) => {
        const step = w['smoke.yml'].jobs.smoke.steps.find((s: Json) => /smoke-evidence/.test(s.run ?? ''));
        step.env.DIGEST = expr('steps.target.outputs.image');
      },
    ],
  ];

  it.each(mutations)('catches %s', (_label, mutate) => {
    const w = docs();
    mutate(w);
    expect(evidenceProblems(w)).not.toEqual([]);
  });
});

describe('smoke-evidence.sh', () => {
  const script = join(REPO_ROOT, '.github', 'scripts', 'smoke-evidence.sh');
  const digest = `sha256:${'ab'.repeat(32)}`;
  const hex = 'ab'.repeat(32);
  const dir = mkdtempSync(join(tmpdir(), 'smoke-evidence-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in `gh api <path>` answering from ARTIFACTS, a JSON map of artifact name to artifact list. */
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'gh'),
    `#!/usr/bin/env bash\nname=\${2##*name=}\njq --arg n "$name" '{artifacts: (.[$n] // [])}' <<<"$ARTIFACTS"\n`,
  );
  chmodSync(join(bin, 'gh'), 0o755);

  const artifact = (overrides: Json = {}) => ({ expired: false, workflow_run: { head_branch: 'main' }, ...overrides });
  const run = (args: string[], artifacts: Record<string, unknown[]> = {}) => {
    const result = spawnSync('bash', [script, ...args], {
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        GITHUB_REPOSITORY: 'o/r',
        ARTIFACTS: JSON.stringify(artifacts),
      },
      encoding: 'utf8',
    });
    return { code: result.status, err: result.stderr.trim() };
  };
  const both = { [`smoke-staging-api-${hex}`]: [artifact()], [`smoke-staging-browser-${hex}`]: [artifact()] };

  it('names the artifact after the environment, the suite and the digest', () => {
    const result = spawnSync('bash', [script, 'name', 'staging', 'api', digest], { encoding: 'utf8' });
    expect(result.stdout.trim()).toBe(`smoke-staging-api-${hex}`);
    expect(run(['name', 'staging', 'api', 'latest']).code).toBe(2);
  });

  it('passes when both suites left evidence on main for the digest', () => {
    expect(run(['check', 'staging', digest], both).code).toBe(0);
  });

  it.each([
    ['the browser smoke is missing', { [`smoke-staging-api-${hex}`]: [artifact()] }, 'browser smoke has not passed'],
    ['the evidence expired', { ...both, [`smoke-staging-api-${hex}`]: [artifact({ expired: true })] }, 'api smoke'],
    [
      'the evidence came from a branch',
      { ...both, [`smoke-staging-browser-${hex}`]: [artifact({ workflow_run: { head_branch: 'promote/x' } })] },
      'browser smoke',
    ],
    ['only another digest passed', { [`smoke-staging-api-${'cd'.repeat(32)}`]: [artifact()] }, 'api smoke'],
  ])('fails in one line when %s', (_label, artifacts, says) => {
    const { code, err } = run(['check', 'staging', digest], artifacts);
    expect(code).toBe(1);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toContain(says);
  });
});
