/**
 * The workflows against the things they must not drift from: the OIDC roles (names from config/src/names.ts,
 * trust conditions from infra's GithubOidcRoles), the SPA cache rules (config/src/cache-rules.ts), and the
 * supply-chain rules of ADR 0091 (actions pinned by full SHA with a version comment, least permissions, timeouts).
 */
import { loadPlatformConfig } from '@innovate/config';
import { CACHE_REVALIDATE, cacheControlFor } from '@innovate/config/cache-rules';
import { describe, expect, it } from 'vitest';
import { githubOidcSubjects } from '../../infra/lib/constructs/github-oidc-roles.ts';
import { ciEnvironment } from '../scripts/ci-env.ts';
import { spaUploadCommands } from '../scripts/spa-upload-args.ts';
import { type Json, readRepoFile, workflows } from './helpers.ts';

const all = workflows();
const config = loadPlatformConfig();
const CI_ENV_STEP = /npx tsx \.github\/scripts\/ci-env\.ts /;

type Step = { job: string; jobDef: Json; step: Json; file: string };
const steps: Step[] = all.flatMap(({ file, doc }) =>
  Object.entries(doc.jobs as Record<string, Json>).flatMap(([job, jobDef]) =>
    ((jobDef.steps ?? []) as Json[]).map((step) => ({ job, jobDef, step, file })),
  ),
);

describe('ci-env.ts derives every role ARN from config', () => {
  it.each(config.environments.map((e) => e.name))('%s', (name) => {
    const env = config.environment(name);
    const out = ciEnvironment(name);
    const arn = (role: string) => `arn:aws:iam::${env.account.id}:role/${role}`;
    expect(out.image_push_role_arn).toBe(arn(env.names.ciImagePushRoleName));
    expect(out.infra_deploy_role_arn).toBe(arn(env.names.ciInfraDeployRoleName));
    expect(out.spa_publish_role_arn).toBe(arn(env.names.ciSpaPublishRoleName));
    expect(out.repository).toBe(env.names.apiRepositoryName);
    expect(out.registry).toBe(`${env.account.id}.dkr.ecr.${env.region}.amazonaws.com`);
  });
});

describe('AWS credentials in the workflows', () => {
  const credentialSteps = steps.filter((s) =>
    String(s.step.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'),
  );

  it('exist', () => {
    expect(credentialSteps.length).toBeGreaterThan(0);
  });

  it.each(credentialSteps.map((s) => [`${s.file} ${s.job}`, s] as const))(
    '%s assumes a role ci-env.ts derived',
    (_, s) => {
      const match = /^\$\{\{ steps\.([\w-]+)\.outputs\.(\w+) \}\}$/.exec(s.step.with['role-to-assume']);
      expect(match, 'role-to-assume must be a ci-env.ts output, never a typed ARN').not.toBeNull();
      const [, stepId, key] = match as RegExpExecArray;
      const source = s.jobDef.steps.find((x: Json) => x.id === stepId);
      expect(source?.run).toMatch(CI_ENV_STEP);
      expect(Object.keys(ciEnvironment('dev'))).toContain(key);
      expect(s.step.with['aws-region']).toBe(`\${{ steps.${stepId}.outputs.region }}`);
      expect(s.jobDef.permissions?.['id-token']).toBe('write');
    },
  );

  it('every ci-env.ts output a workflow reads exists', () => {
    const keys = new Set(Object.keys(ciEnvironment('dev')));
    for (const { file, doc, text } of all) {
      const ciEnvSteps = new Set(
        Object.values(doc.jobs as Record<string, Json>).flatMap((j) =>
          ((j.steps ?? []) as Json[]).filter((s) => CI_ENV_STEP.test(s.run ?? '')).map((s) => s.id),
        ),
      );
      for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.(\w+)/g))
        if (ciEnvSteps.has(m[1])) expect(keys, `${file}: steps.${m[1]}.outputs.${m[2]}`).toContain(m[2]);
    }
  });
});

/**
 * Every job holding `id-token: write` runs in the GitHub environment whose roles it assumes: the trust each CI role
 * has is taken from the function the CDK construct builds it with (`githubOidcSubjects`; the delivery stack's
 * assertion test checks the synthesized trust against the same function), so this reads no cdk.out and needs no
 * synth first. Checked on the real workflows, and on mutated copies that must be caught.
 */
describe('CI identities are pinned to environments', () => {
  const git = config.organization.git;

  it('every CI role trusts exactly its GitHub environment', () => {
    for (const env of config.environments) {
      for (const subject of Object.values(githubOidcSubjects(git.githubOwner, git.githubRepo, env.name))) {
        expect(subject).toBe(`repo:${git.githubOwner}/${git.githubRepo}:environment:${env.name}`);
      }
    }
  });

  it('every job holding id-token: write assumes only roles of the environment it runs in', () => {
    expect(environmentMismatches(all.map((w) => ({ file: w.file, doc: w.doc })))).toEqual([]);
  });

  const mutated = (file: string, edit: (doc: Json) => void) =>
    all.map((w) => {
      const doc = structuredClone(w.doc);
      if (w.file === file) edit(doc);
      return { file: w.file, doc };
    });

  it.each([
    ['the release image job without its environment', 'release.yml', (d: Json) => delete d.jobs.image.environment],
    [
      'the release image job in prod',
      'release.yml',
      (d: Json) => {
        d.jobs.image.environment = 'prod';
      },
    ],
    [
      'copy-and-sign in the source environment',
      'promote.yml',
      (d: Json) => {
        d.jobs['copy-and-sign'].environment = expression('steps.pair.outputs.from');
      },
    ],
    [
      "copy-and-sign assuming the source's push role",
      'promote.yml',
      (d: Json) => {
        const step = d.jobs['copy-and-sign'].steps.find((x: Json) => String(x.uses ?? '').includes('configure-aws'));
        step.with['role-to-assume'] = expression('steps.from.outputs.image_push_role_arn');
      },
    ],
    ['the SPA publish job without its environment', 'spa-publish.yml', (d: Json) => delete d.jobs.publish.environment],
  ] as const)('catches %s', (_label, file, edit) => {
    expect(environmentMismatches(mutated(file, edit))).not.toEqual([]);
  });
});

describe('supply chain and least privilege', () => {
  it.each(all.map((w) => [w.file, w] as const))(
    '%s: third-party actions pinned by full SHA with a version comment',
    (_, w) => {
      const uses = [...w.text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
      for (const [, ref, rest] of uses) {
        if (ref?.startsWith('./')) continue;
        expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(rest?.trim()).toMatch(/^# v\d+\.\d+\.\d+$/);
      }
    },
  );

  it('one SHA per action across all workflows', () => {
    const seen = new Map<string, Set<string>>();
    for (const w of all)
      for (const m of w.text.matchAll(/uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40})/g))
        seen.set(m[1] ?? '', (seen.get(m[1] ?? '') ?? new Set()).add(m[2] ?? ''));
    for (const [action, shas] of seen) expect(shas.size, action).toBe(1);
  });

  it.each(all.map((w) => [w.file, w] as const))('%s: read-only by default, every job has a timeout', (_, w) => {
    expect(w.doc.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(w.doc.jobs as Record<string, Json>)) {
      if (job.uses) continue; // a reusable workflow call: the called workflow's jobs carry the timeout
      expect(job['timeout-minutes'], `${w.file} ${name}`).toBeGreaterThan(0);
    }
  });

  it('ci.yml runs make test on pull requests and pushes', () => {
    const ci = all.find((w) => w.file === 'ci.yml')?.doc;
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(ci.jobs.test.steps.some((s: Json) => s.run === 'make test')).toBe(true);
  });

  it('the PRs release and promotion open get CI: they dispatch ci.yml on the PR branch', () => {
    const ci = all.find((w) => w.file === 'ci.yml')?.doc;
    expect(Object.keys(ci.on)).toContain('workflow_dispatch');
    for (const file of ['release.yml', 'promote.yml']) {
      const job = all.find((w) => w.file === file)?.doc.jobs['promotion-pr'];
      const script = job.steps.map((s: Json) => s.run ?? '').join('\n');
      expect(script, file).toMatch(/gh pr create[\s\S]*gh workflow run ci\.yml --ref "\$branch"/);
      expect(job.permissions.actions, file).toBe('write');
    }
  });

  it('Notation comes only from the action that verifies the installer signature, before every signing step', () => {
    const action = readRepoFile('.github', 'actions', 'install-aws-signer-notation', 'action.yml');
    expect(action).toContain('gpg --batch --verify');
    expect(action).toContain('E84AF8A2A9B52F1F4435AE71A3B52DA65461CF90');
    for (const w of all) {
      expect(w.text, w.file).not.toMatch(/dpkg -i/);
      for (const [name, job] of Object.entries(w.doc.jobs as Record<string, Json>)) {
        const jobSteps = (job.steps ?? []) as Json[];
        const sign = jobSteps.findIndex((s) => /notation sign/.test(s.run ?? ''));
        if (sign < 0) continue;
        const install = jobSteps.findIndex((s) => s.uses === './.github/actions/install-aws-signer-notation');
        expect(install, `${w.file} ${name}`).toBeGreaterThanOrEqual(0);
        expect(install, `${w.file} ${name}`).toBeLessThan(sign);
      }
    }
  });

  it('prod promotion waits for the prod GitHub environment (its required reviewers)', () => {
    const promote = all.find((w) => w.file === 'promote.yml')?.doc;
    expect(promote.on.workflow_dispatch).toBeDefined();
    expect(promote.jobs['copy-and-sign'].environment).toMatch(/'staging-to-prod' && 'prod'/);
    expect(JSON.stringify(promote.jobs['promotion-pr'].needs ?? [])).toContain('copy-and-sign');
    // Prod's reviewers are asked once per half: one job of the prepare half (dispatch) runs in an environment.
    const gated = Object.entries(promote.jobs as Record<string, Json>).filter(
      ([, job]) => String(job.if ?? '').includes("github.event_name == 'workflow_dispatch'") && job.environment,
    );
    expect(gated.map(([name]) => name)).toEqual(['copy-and-sign']);
  });
});

describe('SPA publish uses the edge’s cache rules', () => {
  const publish = all.find((w) => w.file === 'spa-publish.yml');
  const text = publish?.text ?? '';
  const commands = spaUploadCommands('web/dist', 'spa-bucket');
  const cacheControlOf = (command: string[]) => command[command.indexOf('--cache-control') + 1];

  it('the workflow uploads with the commands spa-upload-args.ts prints and types no cache value itself', () => {
    const runs = ((publish?.doc.jobs.publish.steps ?? []) as Json[]).map((s) => String(s.run ?? '')).join('\n');
    expect(runs).toContain('npx tsx .github/scripts/spa-upload-args.ts web/dist "$BUCKET"');
    expect(runs).toContain(`aws "\${args[@]}"`);
    expect(runs).not.toMatch(/--cache-control|max-age|no-store|no-cache/);
    expect(text).toContain('--paths /index.html');
  });

  it('hashed assets immutable, other files revalidated, index.html never cached, each by config’s rule', () => {
    const [assets = [], others = [], index = []] = commands;
    expect(assets.slice(0, 4)).toEqual(['s3', 'sync', 'web/dist/assets', 's3://spa-bucket/assets']);
    expect(cacheControlOf(assets)).toBe(cacheControlFor('/assets/index-C8P3CzxF.js'));
    expect(others.slice(0, 4)).toEqual(['s3', 'sync', 'web/dist', 's3://spa-bucket']);
    expect(others.join(' ')).toContain('--exclude assets/* --exclude index.html');
    for (const file of ['/config.json', '/favicon.ico']) expect(cacheControlOf(others)).toBe(cacheControlFor(file));
    // index.html last: a client never gets an index.html naming bundles not uploaded yet.
    expect(index.slice(0, 4)).toEqual(['s3', 'cp', 'web/dist/index.html', 's3://spa-bucket/index.html']);
    expect(cacheControlOf(index)).toBe(cacheControlFor('/index.html'));
    expect(commands).toHaveLength(3);
  });

  it('refuses a bucket name that is not one, naming the argument', () => {
    expect(() => spaUploadCommands('web/dist', 'x; rm -rf /')).toThrow(/^bucket: /);
  });
});

/** A GitHub Actions expression around `body`. */
function expression(body: string): string {
  return `\${{ ${body} }}`;
}

/** `${{ x }}`, `"${{ x }}"` and `x` alike, so an expression and its quoted shell form compare equal. */
function normalize(value: unknown): string {
  return String(value ?? '')
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/^\$\{\{\s*(.*?)\s*\}\}$/, '$1');
}

/**
 * Problems, one line each: a job with `id-token: write` that assumes no role, or assumes one derived (ci-env.ts) for
 * an environment other than the job's own `environment:` (or has none). Reusable-workflow calls are skipped: the
 * called workflow's jobs are checked where they are defined.
 */
function environmentMismatches(docs: { file: string; doc: Json }[]): string[] {
  const problems: string[] = [];
  for (const { file, doc } of docs) {
    for (const [name, job] of Object.entries(doc.jobs as Record<string, Json>)) {
      if (job.uses || job.permissions?.['id-token'] !== 'write') continue;
      const jobSteps = (job.steps ?? []) as Json[];
      const assumes = jobSteps.filter((s) => String(s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'));
      if (assumes.length === 0) problems.push(`${file} ${name}: id-token: write but assumes no role`);
      const environment = normalize(typeof job.environment === 'object' ? job.environment?.name : job.environment);
      for (const step of assumes) {
        // The read-only plan role is pinned to pull requests and main instead (infra-pipeline.test.ts checks it).
        if (String(step.with?.['role-to-assume']).includes('.outputs.infra_plan_role_arn')) continue;
        const stepId = /steps\.([\w-]+)\.outputs\./.exec(String(step.with?.['role-to-assume']))?.[1];
        const source = jobSteps.find((s) => s.id === stepId);
        const argument = /ci-env\.ts\s+(.+?)\s*(>>|$)/.exec(String(source?.run ?? ''))?.[1];
        if (!environment) problems.push(`${file} ${name}: assumes a role but runs in no GitHub environment`);
        else if (normalize(argument) !== environment)
          problems.push(`${file} ${name}: runs in ${environment} but assumes a role of ${normalize(argument)}`);
      }
    }
  }
  return problems;
}

describe('SPA publish writes config.json from the sign-in parameters', () => {
  const publish = all.find((w) => w.file === 'spa-publish.yml');
  const jobSteps = (publish?.doc.jobs.publish.steps ?? []) as Json[];
  const write = jobSteps.findIndex((s) => /> web\/dist\/config\.json/.test(s.run ?? ''));
  const upload = jobSteps.findIndex((s) => /spa-upload-args\.ts web\/dist /.test(s.run ?? ''));

  it('reads the two parameters ci-env.ts names (the users stack writes them) and writes the contract shape', () => {
    const step = jobSteps[write];
    expect(step.env.ISSUER_PARAMETER).toBe(expression('steps.target.outputs.auth_issuer_parameter'));
    expect(step.env.CLIENT_ID_PARAMETER).toBe(expression('steps.target.outputs.auth_client_id_parameter'));
    const prod = ciEnvironment('prod');
    const names = config.environment('prod').names;
    expect([prod.auth_issuer_parameter, prod.auth_client_id_parameter]).toEqual([
      names.authIssuerParameterName,
      names.authClientIdParameterName,
    ]);
    expect(step.run).toContain('{auth: {issuer: $issuer, clientId: $clientId, signOutUrl: $signOutUrl}}');
  });

  it('before the upload that sends it with Cache-Control: no-cache, and invalidates it', () => {
    expect(write).toBeGreaterThanOrEqual(0);
    expect(write).toBeLessThan(upload);
    expect(cacheControlFor('/config.json')).toBe(CACHE_REVALIDATE);
    expect(CACHE_REVALIDATE).toBe('no-cache');
    expect(publish?.text).toContain('--paths /index.html /config.json');
  });
});
