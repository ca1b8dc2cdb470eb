/**
 * The check entry point: the gates over the committed render and the add-on charts (what `make check-deploy`,
 * `make check-deploy-charts` and `make check-deploy-ready` run). Rendering itself is src/render-cli.ts.
 * - `validate` checks every committed object against its schema (registry, model, strict fields);
 * - `policies` checks Pod Security `restricted` and the rendered Gatekeeper constraints per environment;
 * - `charts`   pulls every add-on's chart (`helm pull`, verified against deploy/charts.lock.json) and checks our
 *              values, schemas, CEL rules and templates against it (ADR 0070); where no chart repository is reachable
 *              it says so in one line and passes, unless CHART_REPOSITORIES=required (CI);
 * - `lock-charts` records in deploy/charts.lock.json the digest of every pinned chart that has none;
 * - `ready`    fails while a first-deploy input (deploy/signature-trust.yaml, addon-images.yaml, the RDS CA bundle hash in
 *              api/Dockerfile) is unset (not part of `make test`).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { addonImageGaps, loadAddonImages } from '../src/addon-images.ts';
import type { KubeObject } from '../src/chart.ts';
import { ADDONS } from '../src/charts/addons.ts';
import { NEEDS_ADMISSION_SERVICE } from '../src/charts/policies.ts';
import { componentsDir, RENDERED_DIR, REPO_ROOT } from '../src/layout.ts';
import { listFiles } from '../src/list-files.ts';
import { firstDeployGaps, loadSignatureTrust } from '../src/signature-trust.ts';
import { runChartGate } from './charts-check/gate.ts';
import { ChartRepositoryUnreachableError, lockCharts } from './charts-check/pull.ts';
import { evaluate, splitPolicies } from './policy/harness.ts';
import { loadDockerfile, rdsCaBundleGaps } from './ready/rds-ca-bundle.ts';
import { podSecurityProblems } from './validate/pod-security.ts';
import { loadRegistry } from './validate/registry.ts';
import { parseYamlObjects, validateObjects } from './validate/validate.ts';

/** Records the digest of every pinned chart the lock has none for (`make lock-deploy-charts`). */
function lockChartDigests(): number {
  const recorded = lockCharts(ADDONS);
  for (const line of recorded) console.log(`recorded ${line}`);
  console.log(`deploy/charts.lock.json: ${recorded.length} digests recorded, ${ADDONS.length} charts locked`);
  return 0;
}

/** Every add-on's values against its pulled, lock-verified chart. */
async function charts(): Promise<number> {
  const started = performance.now();
  let result: Awaited<ReturnType<typeof runChartGate>>;
  try {
    result = await runChartGate();
  } catch (error) {
    if (error instanceof ChartRepositoryUnreachableError && process.env.CHART_REPOSITORIES !== 'required') {
      console.log(
        `check-deploy-charts: skipped, no chart repository reachable (${error.message}); CI's charts job runs it`,
      );
      return 0;
    }
    console.error(`check-deploy-charts: ${(error as Error).message}`);
    return 1;
  }
  const { reports, problems, notSchemaChecked, renderChecked, cel } = result;
  for (const report of reports)
    console.log(
      `chart ${report.addon}: ${report.checked?.keys} values keys, ${report.checked?.objects} templated objects checked against ${report.checked?.source} (sha256 as locked)`,
    );
  for (const [kind, count] of notSchemaChecked)
    console.log(`chart output not schema-checked (no model, no pulled chart's CRD): ${kind} ×${count}`);
  console.log(
    `our render against the pulled charts' CRDs (schema + CEL): ${[...renderChecked].map(([kind, count]) => `${kind} ×${count}`).join(', ') || 'none'}`,
  );
  console.log(`CEL rules: ${cel.evaluated} evaluations; ${cel.skipped.size} distinct rules skipped`);
  for (const [rule, reason] of cel.skipped) console.log(`  skipped: ${rule.slice(0, 100)} — ${reason}`);
  for (const problem of problems) console.error(problem);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`chart values: ${reports.length} charts checked, ${problems.length} problems (${seconds} s)`);
  return problems.length === 0 && reports.length > 0 ? 0 : 1;
}

/** Exit 1 while any first-deploy input is unset (`make check-deploy-ready`, run before the first deploy). */
function ready(): number {
  const gaps = [
    ...firstDeployGaps(loadSignatureTrust()),
    ...addonImageGaps(loadAddonImages()),
    ...rdsCaBundleGaps(loadDockerfile()),
  ];
  for (const gap of gaps) console.error(gap);
  if (gaps.length === 0) console.log('first-deploy inputs: all set');
  return gaps.length === 0 ? 0 : 1;
}

/** Every object of every committed environment against its schema; exit 1 naming each problem. */
async function validate(): Promise<number> {
  const started = performance.now();
  const registry = await loadRegistry();
  const files = listFiles(RENDERED_DIR).filter((path) => path.endsWith('.yaml'));
  const items = files.flatMap((path) => parseYamlObjects(readFileSync(path, 'utf8'), relative(REPO_ROOT, path)));
  const problems = validateObjects(items, registry);
  for (const problem of problems) console.error(problem);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `schema validation: ${items.length} objects in ${files.length} files, ${problems.length} problems (${seconds} s)`,
  );
  return problems.length === 0 && items.length > 0 ? 0 : 1;
}

/**
 * Every rendered workload of every environment against that environment's rendered Gatekeeper constraints.
 * The signature constraint needs Ratify at admission time: it is listed as not evaluated here (its Rego is
 * covered by `opa test` and by the denied-manifest suite with a stand-in verifier).
 */
function policies(): number {
  let failures = 0;
  for (const { name: env, names } of loadPlatformConfig().environments) {
    // What Argo CD would apply for this environment: the root's folder and the environment's components.
    const objects = [join(REPO_ROOT, names.renderedManifestsPath), join(REPO_ROOT, componentsDir(env))]
      .flatMap((dir) => listFiles(dir))
      .filter((path) => path.endsWith('.yaml'))
      .flatMap((path) => parseYamlObjects(readFileSync(path, 'utf8'), relative(REPO_ROOT, path)))
      .map((item) => item.object as KubeObject);
    const { templates, constraints } = splitPolicies(objects);
    const offline = constraints.filter((constraint) => !NEEDS_ADMISSION_SERVICE.includes(constraint.kind));
    const skipped = constraints.filter((constraint) => NEEDS_ADMISSION_SERVICE.includes(constraint.kind));
    const workloads = objects.filter(
      (object) => !templates.includes(object as never) && !constraints.includes(object as never),
    );
    const pss = podSecurityProblems(workloads);
    for (const problem of pss) console.error(`${env}: ${problem}`);
    failures += pss.length;
    const run = evaluate(workloads, templates, offline);
    for (const violation of run.violations) {
      const object = workloads[violation.index];
      console.error(
        `${env}: ${object?.kind} ${object?.metadata?.namespace}/${object?.metadata?.name} denied by ${violation.constraintKind}: ${violation.msg}`,
      );
    }
    failures += run.violations.length;
    if (offline.length === 0 || run.evaluated === 0) {
      console.error(`${env}: no constraint matched any object: nothing was checked`);
      failures++;
    }
    console.log(
      `policies ${env}: Pod Security restricted ${pss.length} problems; ${offline.length} constraints, ${run.evaluated} object×constraint checks, ${run.violations.length} denials; not evaluated offline: ${skipped.map((c) => c.kind).join(', ') || 'none'}`,
    );
  }
  return failures === 0 ? 0 : 1;
}

const command = process.argv[2];
try {
  if (command === 'validate') process.exitCode = await validate();
  else if (command === 'policies') process.exitCode = policies();
  else if (command === 'charts') process.exitCode = await charts();
  else if (command === 'lock-charts') process.exitCode = lockChartDigests();
  else if (command === 'ready') process.exitCode = ready();
  else {
    console.error('usage: checks/cli.ts validate|policies|charts|lock-charts|ready');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`${(error as Error).name}: ${(error as Error).message}`);
  process.exitCode = 1;
}
