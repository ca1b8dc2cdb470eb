/**
 * The infrastructure pipeline (infra-plan, infra-deploy, drift) against what it must agree with: the roles and
 * their trust in the synthesized delivery stack, the deploy order of infra/scripts/deploy-order.ts (which `make
 * deploy` walks) and of docs/deployment.md, and the stacks the app synthesizes for each environment. Each rule is
 * checked on the real files and on mutated copies it must catch.
 */
import { type Stack, Stage } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { githubOidcPlanSubjects, INFRA_PLAN_MANAGED_POLICY } from '../../infra/lib/constructs/github-oidc-roles.ts';
import { assemblyStacks, deployOrder, WORKLOAD_DEPLOY_ORDER } from '../../infra/scripts/deploy-order.ts';
import { config, ENVIRONMENTS, stacksOf, templateOf } from '../../infra/test/helpers/environment-stacks.ts';
import { resources } from '../../infra/test/helpers/template-queries.ts';
import { type Json, readRepoFile, workflows } from './helpers.ts';

const all = workflows();
const workflow = (file: string) => {
  const found = all.find((w) => w.file === file);
  if (!found) throw new Error(`.github/workflows/${file} is missing`);
  return found;
};
const git = config.organization.git;
const SUB = 'token.actions.githubusercontent.com:sub';

// Each environment's app is built and synthesized once (seconds each on 2 cores); the tests then read it.
beforeAll(() => {
  for (const envName of ENVIRONMENTS) templateOf(envName, 'delivery');
}, 180_000);

/** The trust condition of the role named `roleName` in the environment's synthesized delivery stack. */
function synthesizedTrust(envName: string, roleName: string): Json {
  const [, role] =
    resources(templateOf(envName, 'delivery'), 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === roleName) ??
    [];
  return role?.Properties.AssumeRolePolicyDocument.Statement[0].Condition;
}

/** The environment's stacks as the synthesized cloud assembly lists them (id and dependencies). */
function assemblyOf(envName: string) {
  const stage = Stage.of(stacksOf(envName).network as Stack) as Stage;
  return assemblyStacks(stage.synth().manifest as Json);
}

/** A GitHub Actions expression around `body`. */
function expression(body: string): string {
  return `\${{ ${body} }}`;
}

type Trust = (envName: string) => Json;
const realDeployTrust: Trust = (envName) =>
  synthesizedTrust(envName, config.environment(envName).names.ciInfraDeployRoleName);

/**
 * Problems, one line each, of infra-deploy.yml against the synthesized trust: one job per environment, in its own
 * GitHub environment, assuming the deploy role ci-env.ts derives for that same environment, whose synthesized trust
 * names exactly that environment's subject; `make deploy ENV=<env>`; each job after the previous one.
 */
function deployProblems(doc: Json, trustOf: Trust): string[] {
  const problems: string[] = [];
  for (const [index, envName] of ENVIRONMENTS.entries()) {
    const job = doc.jobs?.[envName];
    if (!job) {
      problems.push(`no job ${envName}`);
      continue;
    }
    if (job.environment !== envName) problems.push(`${envName}: runs in environment ${job.environment ?? 'none'}`);
    const steps = (job.steps ?? []) as Json[];
    const assume = steps.find((s) => String(s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'));
    const role = /^\$\{\{ steps\.([\w-]+)\.outputs\.(\w+) \}\}$/.exec(String(assume?.with?.['role-to-assume']));
    if (!role) {
      problems.push(`${envName}: assumes no role derived by ci-env.ts`);
      continue;
    }
    if (role[2] !== 'infra_deploy_role_arn') problems.push(`${envName}: assumes ${role[2]}`);
    const source = steps.find((s) => s.id === role[1]);
    const argument = /ci-env\.ts\s+"?([\w-]+)"?/.exec(String(source?.run ?? ''))?.[1];
    if (argument !== envName) problems.push(`${envName}: assumes the role of ${argument}`);
    const subject = trustOf(envName)?.StringEquals?.[SUB];
    if (subject !== `repo:${git.githubOwner}/${git.githubRepo}:environment:${envName}`)
      problems.push(`${envName}: the deploy role trusts ${JSON.stringify(subject)}`);
    const deploy = steps.find((s) => /\bmake deploy\b/.test(s.run ?? ''));
    if (!new RegExp(`^make deploy ENV=${envName}( |$)`).test(deploy?.run ?? ''))
      problems.push(`${envName}: does not run make deploy ENV=${envName}`);
    const previous = ENVIRONMENTS[index - 1];
    if (previous && ![job.needs ?? []].flat().includes(previous)) problems.push(`${envName}: not after ${previous}`);
  }
  return problems;
}

describe('infra-deploy: each job, its environment and its role’s synthesized trust agree', () => {
  const deploy = workflow('infra-deploy.yml');

  it('on push to main; dev, staging, prod in that order', () => {
    expect(deploy.doc.on.push.branches).toEqual([git.branch]);
    expect(Object.keys(deploy.doc.jobs)).toEqual(ENVIRONMENTS);
    expect(deploy.doc.concurrency['cancel-in-progress']).toBe(false);
  });

  it('holds on the real workflow and the synthesized delivery stacks', () => {
    expect(deployProblems(deploy.doc, realDeployTrust)).toEqual([]);
  });

  const mutated = (edit: (doc: Json) => void) => {
    const doc = structuredClone(deploy.doc);
    edit(doc);
    return doc;
  };
  const stepOf = (doc: Json, job: string, test: (s: Json) => boolean) => doc.jobs[job].steps.find(test);

  it.each([
    [
      'the prod job assuming staging’s deploy role',
      mutated((d) => {
        stepOf(d, 'prod', (s) => s.id === 'target').run =
          'npx tsx .github/scripts/ci-env.ts staging >> "$GITHUB_OUTPUT"';
      }),
      realDeployTrust,
    ],
    [
      'the staging job assuming the SPA publish role',
      mutated((d) => {
        stepOf(d, 'staging', (s) => String(s.uses ?? '').includes('configure-aws')).with['role-to-assume'] = expression(
          'steps.target.outputs.spa_publish_role_arn',
        );
      }),
      realDeployTrust,
    ],
    ['the prod job without its environment', mutated((d) => delete d.jobs.prod.environment), realDeployTrust],
    [
      'the dev job deploying prod',
      mutated((d) => {
        stepOf(d, 'dev', (s) => /make deploy/.test(s.run ?? '')).run = 'make deploy ENV=prod DEPLOY_APPROVAL=never';
      }),
      realDeployTrust,
    ],
    ['prod not waiting for staging', mutated((d) => delete d.jobs.prod.needs), realDeployTrust],
    [
      'a deploy role trusting the main branch instead of its environment',
      deploy.doc,
      (envName: string) => {
        const trust = structuredClone(realDeployTrust(envName));
        trust.StringEquals[SUB] = `repo:${git.githubOwner}/${git.githubRepo}:ref:refs/heads/main`;
        return trust;
      },
    ],
  ] as const)('catches %s', (_label, doc, trustOf) => {
    expect(deployProblems(doc, trustOf)).not.toEqual([]);
  });
});

describe('the read-only plan role: pull requests and main, never an environment', () => {
  const planJobs = all.flatMap(({ file, doc }) =>
    Object.entries(doc.jobs as Record<string, Json>)
      .filter(([, job]) => JSON.stringify(job.steps ?? []).includes('outputs.infra_plan_role_arn'))
      .map(([name, job]) => ({ file, doc, name, job })),
  );

  it('is assumed by infra-plan and drift only, in jobs with no GitHub environment', () => {
    expect(planJobs.map((j) => `${j.file} ${j.name}`).sort()).toEqual([
      'drift.yml cloudformation',
      'infra-plan.yml plan',
    ]);
    for (const { job } of planJobs) expect(job.environment).toBeUndefined();
    expect(Object.keys(workflow('infra-plan.yml').doc.on)).toEqual(['pull_request']);
    expect(Object.keys(workflow('drift.yml').doc.on).sort()).toEqual([
      'repository_dispatch',
      'schedule',
      'workflow_dispatch',
    ]);
    // A repository_dispatch also runs on main, which the plan role trusts: its job must never be the one that
    // assumes it (drift-dispatch.test.ts checks the Argo CD job has no OIDC token at all).
    expect(workflow('drift.yml').doc.jobs.cloudformation.if).toBe("github.event_name != 'repository_dispatch'");
  });

  it.each(ENVIRONMENTS)(
    '%s: trusts exactly pull requests and main, ReadOnlyAccess with data reads denied',
    (envName) => {
      const name = config.environment(envName).names.ciInfraPlanRoleName;
      expect(synthesizedTrust(envName, name).StringEquals[SUB]).toEqual(
        githubOidcPlanSubjects(git.githubOwner, git.githubRepo, git.branch),
      );
      expect(githubOidcPlanSubjects(git.githubOwner, git.githubRepo, git.branch)).toEqual([
        `repo:${git.githubOwner}/${git.githubRepo}:pull_request`,
        `repo:${git.githubOwner}/${git.githubRepo}:ref:refs/heads/${git.branch}`,
      ]);
      const [, role] =
        resources(templateOf(envName, 'delivery'), 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === name) ??
        [];
      expect(JSON.stringify(role?.Properties.ManagedPolicyArns)).toContain(
        `:iam::aws:policy/${INFRA_PLAN_MANAGED_POLICY}`,
      );
      const statements = resources(templateOf(envName, 'delivery'), 'AWS::IAM::Policy')
        .filter(([id]) => id.startsWith('GithubOidcInfraPlan'))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
      const deny = statements.find((s) => s.Effect === 'Deny');
      expect(deny?.Action).toEqual(
        expect.arrayContaining(['s3:GetObject', 'secretsmanager:GetSecretValue', 'kms:Decrypt']),
      );
      expect(deny?.Resource).toBe('*');
    },
  );

  it('infra-plan diffs every environment and posts one comment found by its marker', () => {
    const plan = workflow('infra-plan.yml');
    const script = plan.doc.jobs.plan.steps.map((s: Json) => s.run ?? '').join('\n');
    for (const envName of ENVIRONMENTS) expect(script).toContain(`.github/scripts/infra-diff.sh ${envName} `);
    expect(readRepoFile('.github', 'scripts', 'infra-diff.sh')).toContain('make diff ENV="$env_name"');
    expect(script).toContain('.github/scripts/infra-cost-compare.sh');
    expect(readRepoFile('.github', 'scripts', 'infra-cost-compare.sh')).toContain(
      'make --no-print-directory cost-compare',
    );
    const comment = readRepoFile('.github', 'scripts', 'plan-comment.sh');
    expect(comment).toMatch(/select\(\.body \| startswith\(\\"\$marker\\"\)\)/);
    expect(comment).toContain('--method PATCH');
    expect(plan.doc.jobs.plan.permissions['pull-requests']).toBe('write');
  });
});

describe('deploy order: docs/deployment.md = deploy-order.ts (make deploy) = the synthesized dependencies', () => {
  it('docs/deployment.md’s "Deploy order" names the stacks in WORKLOAD_DEPLOY_ORDER', () => {
    const docs = readRepoFile('docs', 'deployment.md');
    const section = docs.slice(docs.indexOf('### Deploy order'), docs.indexOf('### Image signature verification'));
    const named = [...section.matchAll(/innovate-\$ENV-([a-z]+)/g)].map((m) => m[1]);
    expect([...new Set(named)]).toEqual([...WORKLOAD_DEPLOY_ORDER]);
  });

  it('make diff and make deploy take their stacks from deploy-order.ts, one deploy per stack, stopping on failure', () => {
    const mk = readRepoFile('mk', 'infra.mk');
    expect(mk).toMatch(/^INFRA_STACK_ORDER = npx tsx scripts\/deploy-order\.ts \$\(ENV\) \$\(STACKS\)$/m);
    const deploy = mk.slice(mk.indexOf('\ndeploy:'));
    expect(deploy).toMatch(/stacks=\$\$\(\$\(INFRA_STACK_ORDER\)\) && for stack in \$\$stacks/);
    expect(deploy).toMatch(/--exclusively .*"\$\$stack" \|\| exit 1/);
    expect(mk.slice(mk.indexOf('\ndiff:'))).toMatch(/stacks=\$\$\(\$\(INFRA_STACK_ORDER\)\) && \$\(CDK\) diff/);
    for (const target of ['diff', 'deploy']) expect(mk).toMatch(new RegExp(`^${target}: infra-preflight`, 'm'));
    expect(mk).toMatch(/^infra-preflight:.*\n\t@cd infra && npx tsx scripts\/preflight\.ts \$\(ENV\)$/m);
  });

  it.each(ENVIRONMENTS)('%s: every synthesized stack is in the order, after every stack it depends on', (envName) => {
    const stacks = assemblyOf(envName);
    const prefix = config.environment(envName).names.prefix;
    const ordered = deployOrder(prefix, stacks);
    expect(new Set(ordered)).toEqual(new Set(stacks.filter((s) => s.id.startsWith(`${prefix}-`)).map((s) => s.id)));
  });

  it('refuses a stack the order does not name, and an order against a dependency', () => {
    const stacks = [
      { id: 'x-network', dependencies: [] },
      { id: 'x-data', dependencies: ['x-network'] },
    ];
    expect(deployOrder('x', stacks)).toEqual(['x-network', 'x-data']);
    expect(() => deployOrder('x', [...stacks, { id: 'x-cache', dependencies: [] }])).toThrow(/x-cache not in/);
    expect(() => deployOrder('x', [{ id: 'x-network', dependencies: ['x-data'] }, stacks[1] as never])).toThrow(
      /x-network depends on x-data/,
    );
    expect(() => deployOrder('x', stacks, ['x-dr'])).toThrow(/STACKS: x-dr/);
  });
});

describe('drift: every environment, every stack the app synthesizes', () => {
  const drift = workflow('drift.yml');
  const job = drift.doc.jobs.cloudformation;

  it('runs daily and on demand, per environment of config', () => {
    expect(drift.doc.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(job.strategy.matrix.environment).toEqual(ENVIRONMENTS);
    expect(job.strategy['fail-fast']).toBe(false);
  });

  it('walks deploy-order.ts’s list (every synthesized stack, checked above) with detection, wait and describe', () => {
    const script = job.steps.map((s: Json) => s.run ?? '').join('\n');
    expect(script).toContain('.github/scripts/stack-drift.sh "$ENV_NAME"');
    expect(job.steps.some((s: Json) => s.run === 'make synth')).toBe(true);
    const drifts = readRepoFile('.github', 'scripts', 'stack-drift.sh');
    expect(drifts).toContain('npx tsx scripts/deploy-order.ts "$env_name"');
    for (const call of [
      'detect-stack-drift',
      'describe-stack-drift-detection-status',
      'describe-stack-resource-drifts',
    ])
      expect(drifts).toContain(`aws cloudformation ${call}`);
  });

  it('opens or updates one issue per environment, by label and exact title', () => {
    const issue = readRepoFile('.github', 'scripts', 'drift-issue.sh');
    expect(issue).toContain('title="Infrastructure drift: $env_name"');
    expect(issue).toMatch(/gh issue list .*--label "\$label"/);
    expect(issue).toContain('gh issue edit "$number"');
    expect(issue).toContain('gh issue create');
    expect(job.permissions.issues).toBe('write');
  });
});
