/**
 * The delivery order (ADR 0097), read from the workflows' graph (triggers, `needs:`, `if:` and step order), on the
 * real files and on mutated copies that must be caught:
 * - release: test → build → scan → push → sign → attest, then the PR that pins dev; no SPA before the image is live;
 * - promotion: prepared on dispatch (attestations verified before the copy), delivered on the merge of the PR
 *   (a push to main changing deploy/images.yaml), never when a PR is opened;
 * - per environment: live → (staging: contract smoke) → SPA → (staging: browser smoke); prod's SPA in the prod
 *   GitHub environment, so it waits for that environment's approval.
 */
import { describe, expect, it } from 'vitest';
import { type Json, workflows } from './helpers.ts';

const all = workflows();
const docs = () => Object.fromEntries(all.map((w) => [w.file, structuredClone(w.doc)])) as Record<string, Json>;

const needsOf = (job: Json): string[] => (Array.isArray(job?.needs) ? job.needs : job?.needs ? [job.needs] : []);

/** Every job `name` transitively needs. */
function ancestors(jobs: Record<string, Json>, name: string, seen = new Set<string>()): Set<string> {
  for (const parent of needsOf(jobs[name])) {
    if (seen.has(parent)) continue;
    seen.add(parent);
    ancestors(jobs, parent, seen);
  }
  return seen;
}

/** Index of the first step matching `pattern` (in `run` or `uses`), -1 when none. */
function stepIndex(job: Json, pattern: RegExp): number {
  return (job?.steps ?? []).findIndex((s: Json) => pattern.test(`${s.uses ?? ''}\n${s.run ?? ''}`));
}

const callsWorkflow = (job: Json, file: string) => job?.uses === `./.github/workflows/${file}`;

/** Problems with the order, one line each; empty when the workflows deliver in order. */
export function orderProblems(w: Record<string, Json>): string[] {
  const problems: string[] = [];
  const release = w['release.yml'];
  const promote = w['promote.yml'];
  const spa = w['spa-publish.yml'];

  // release: triggers and the job graph
  if (Object.keys(release.on ?? {}).join() !== 'push') problems.push('release.yml: must run on push (to main) only');
  const rjobs = release.jobs as Record<string, Json>;
  const testJob = Object.entries(rjobs).find(([, j]) => callsWorkflow(j, 'ci.yml'))?.[0];
  if (!testJob) problems.push('release.yml: no job runs ci.yml (the tests)');
  if (testJob && !ancestors(rjobs, 'image').has(testJob))
    problems.push('release.yml: image does not wait for the tests');
  if (!ancestors(rjobs, 'promotion-pr').has('image'))
    problems.push('release.yml: the dev pin PR does not wait for the image');
  for (const [name, job] of Object.entries(rjobs))
    if (callsWorkflow(job, 'spa-publish.yml'))
      problems.push(`release.yml ${name}: publishes the SPA before the image is live (that is promote.yml's delivery)`);
  if (!('workflow_call' in (w['ci.yml'].on ?? {})))
    problems.push('ci.yml: not callable (workflow_call) by release.yml');

  // release: step order inside the image job
  const image = rjobs.image;
  const order: Array<[string, RegExp]> = [
    ['build', /docker buildx build[\s\S]*--load/],
    ['scan', /trivy image/],
    ['push', /--push/],
    ['sign', /notation sign/],
    ['attest provenance', /^actions\/attest-build-provenance@/],
    ['attest SBOM', /^actions\/attest-sbom@/],
  ];
  const at = order.map(([label, pattern]) => [label, stepIndex(image, pattern)] as const);
  for (const [label, index] of at) if (index < 0) problems.push(`release.yml image: no ${label} step`);
  for (let i = 1; i < at.length; i++) {
    const [before, a] = at[i - 1] as readonly [string, number];
    const [after, b] = at[i] as readonly [string, number];
    if (a >= 0 && b >= 0 && a > b) problems.push(`release.yml image: ${after} runs before ${before}`);
  }
  if (image?.permissions?.attestations !== 'write') problems.push('release.yml image: no attestations: write');

  // promote: triggers
  const on = promote.on ?? {};
  if (!on.workflow_dispatch) problems.push('promote.yml: no workflow_dispatch (prepare)');
  if ('pull_request' in on || 'pull_request_target' in on)
    problems.push('promote.yml: runs on pull requests (it must deliver on merge, not when a PR is opened)');
  const push = on.push;
  if (!push || JSON.stringify(push.branches) !== '["main"]' || JSON.stringify(push.paths) !== '["deploy/images.yaml"]')
    problems.push('promote.yml: delivery must run on push to main changing deploy/images.yaml (a merged promotion PR)');

  // promote: the prepare half
  const pjobs = promote.jobs as Record<string, Json>;
  const copy = pjobs['copy-and-sign'];
  const verify = stepIndex(copy, /gh attestation verify/);
  const copyStep = stepIndex(copy, /regctl image copy/);
  if (verify < 0) problems.push('promote.yml copy-and-sign: attestations are not verified');
  else if (copyStep >= 0 && verify > copyStep) problems.push('promote.yml copy-and-sign: copies before verifying');
  for (const predicate of ['https://slsa.dev/provenance/v1', 'https://spdx.dev/Document/v2.3'])
    if (!JSON.stringify(copy?.steps ?? []).includes(predicate))
      problems.push(`promote.yml copy-and-sign: does not verify ${predicate}`);
  // The prepare half's gate is copy-and-sign itself (it runs in the target's environment): the PR waits for it.
  if (!ancestors(pjobs, 'promotion-pr').has('copy-and-sign'))
    problems.push('promote.yml promotion-pr: does not wait for copy-and-sign');
  if (!String(copy?.if ?? '').includes("github.event_name == 'workflow_dispatch'"))
    problems.push('promote.yml copy-and-sign: not limited to the dispatch');

  // promote: the delivery half, per environment
  const spaJobs = Object.entries(pjobs).filter(([, j]) => callsWorkflow(j, 'spa-publish.yml'));
  const envOf = (job: Json) => job?.with?.environment;
  for (const envName of ['dev', 'staging', 'prod']) {
    const live = Object.entries(pjobs).find(([, j]) => callsWorkflow(j, 'wait-live.yml') && envOf(j) === envName);
    const spaJob = spaJobs.find(([, j]) => envOf(j) === envName);
    if (!live) problems.push(`promote.yml: nothing waits until ${envName} serves its pinned image`);
    if (!spaJob) {
      problems.push(`promote.yml: no SPA publish for ${envName}`);
      continue;
    }
    const spaAncestors = ancestors(pjobs, spaJob[0]);
    if (live && !spaAncestors.has(live[0]))
      problems.push(`promote.yml ${spaJob[0]}: publishes ${envName}'s SPA before its image is live`);
    if (live && !String(live[1].if ?? '').includes(`needs.changed.outputs.${envName} == 'true'`))
      problems.push(`promote.yml ${live[0]}: not limited to a re-pinned ${envName}`);
    if (spaAncestors.has('copy-and-sign') || spaAncestors.has('promotion-pr'))
      problems.push(`promote.yml ${spaJob[0]}: runs in the prepare half (before the PR is merged)`);
  }
  const smoke = (suite: string) =>
    Object.entries(pjobs).find(
      ([, j]) => callsWorkflow(j, 'smoke.yml') && envOf(j) === 'staging' && j.with?.suite === suite,
    );
  const spaStaging = spaJobs.find(([, j]) => envOf(j) === 'staging')?.[0];
  const apiSmoke = smoke('api');
  const browserSmoke = smoke('browser');
  if (!apiSmoke) problems.push("promote.yml: no staging smoke of the API (the contract's smoke subset)");
  else if (spaStaging && !ancestors(pjobs, spaStaging).has(apiSmoke[0]))
    problems.push("promote.yml: staging's SPA is published before the API smoke passed");
  if (!browserSmoke) problems.push('promote.yml: no staging browser smoke');
  else if (spaStaging && !ancestors(pjobs, browserSmoke[0]).has(spaStaging))
    problems.push('promote.yml: the staging browser smoke runs before the SPA it tests is published');
  // prod's approval: spa-publish.yml's job runs in the GitHub environment named by its input.
  if (spa?.jobs?.publish?.environment !== `\${{ inputs.environment }}`)
    problems.push('spa-publish.yml publish: not in the GitHub environment it publishes to (prod would not wait)');
  return problems;
}

describe('delivery order (ADR 0097)', () => {
  it('the workflows deliver in order', () => {
    expect(orderProblems(docs())).toEqual([]);
  });

  const mutations: Array<[string, (w: Record<string, Json>) => void]> = [
    ['release without the tests', (w) => delete w['release.yml'].jobs.image.needs],
    [
      'release publishing the SPA',
      (w) => {
        w['release.yml'].jobs.spa = { uses: './.github/workflows/spa-publish.yml', with: { environment: 'dev' } };
      },
    ],
    [
      'signing before the push',
      (w) => {
        const steps = w['release.yml'].jobs.image.steps as Json[];
        const sign = steps.findIndex((s) => /notation sign/.test(s.run ?? ''));
        const [signStep] = steps.splice(sign, 1);
        steps.splice(
          steps.findIndex((s) => s.id === 'push'),
          0,
          signStep,
        );
      },
    ],
    [
      'no SBOM attestation',
      (w) => {
        w['release.yml'].jobs.image.steps = w['release.yml'].jobs.image.steps.filter(
          (s: Json) => !String(s.uses).startsWith('actions/attest-sbom@'),
        );
      },
    ],
    [
      'promotion on a pull request being opened',
      (w) => {
        w['promote.yml'].on.pull_request = { types: ['opened'] };
      },
    ],
    ['delivery on any push', (w) => delete w['promote.yml'].on.push.paths],
    [
      'a copy without verification',
      (w) => {
        const job = w['promote.yml'].jobs['copy-and-sign'];
        job.steps = job.steps.filter((s: Json) => !/gh attestation verify/.test(s.run ?? ''));
      },
    ],
    [
      "staging's SPA without waiting for the image",
      (w) => {
        w['promote.yml'].jobs['spa-staging'].needs = 'changed';
      },
    ],
    [
      "prod's SPA published from the prepare half",
      (w) => {
        w['promote.yml'].jobs['spa-prod'].needs = ['live-prod', 'promotion-pr'];
      },
    ],
    [
      'the browser smoke before the SPA',
      (w) => {
        w['promote.yml'].jobs['smoke-browser-staging'].needs = 'live-staging';
      },
    ],
    [
      'the SPA publish outside its environment',
      (w) => {
        w['spa-publish.yml'].jobs.publish.environment = 'dev';
      },
    ],
  ];

  it.each(mutations)('catches %s', (_label, mutate) => {
    const w = docs();
    mutate(w);
    expect(orderProblems(w)).not.toEqual([]);
  });
});
