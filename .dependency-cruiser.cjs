/**
 * Import rules between the repository's parts, run by `make lint-imports` (dependency-cruiser; see ADR 0153).
 *
 * - The parts share code only through config/ (`@innovate/config`); the few other edges that exist are listed in
 *   CROSS_PART_EDGES, each with its reason. A new edge is either routed through config/ or added there, reviewed.
 * - No product file imports a test runner or a test file.
 * - web/src's layers point one way: app → features → components, lib, config.
 * - No circular imports anywhere.
 *
 * The Python API (api/) is not cruised: it is one part with its own layers, and shares nothing with the TypeScript.
 */

/**
 * The TypeScript parts. `.github` (the workflows' scripts and their tests) is not one of them: its checks read every
 * part by design (workflows against config, the render and the CDK roles), and no part imports it.
 */
const PARTS = ['config', 'web', 'local', 'infra', 'deploy', 'cost', 'gameday', 'docs/tools'];

/**
 * Edges between parts besides config/, each from a folder of one part to a folder (or module) of another. Anything
 * not listed here and not config/ is refused.
 */
const CROSS_PART_EDGES = [
  {
    from: '^gameday/src/',
    to: '^local/src/',
    why: 'the drills run the local system itself (supervisor, ports, OpenID users, Chromium flags): a drill on a copy would prove nothing about make up',
  },
  {
    from: '^web/e2e/',
    to: '^local/src/',
    why: "the SPA's browser tests sign in against the system make up runs, started and stopped through local's own process wrapper",
  },
  {
    from: '^local/src/observability/|^local/test/observability\\.test\\.ts$',
    to: '^deploy/src/(dashboards/|render\\.ts$)',
    why: 'the local observability side loads the same Grafana dashboards deploy/ renders for the clusters, so local and production panels cannot drift',
  },
  {
    from: '^deploy/(src|test)/dashboards',
    to: '^infra/lib/(constructs/(alarm-thresholds|api-slo-rules)|foundations/budget-amounts)\\.ts$',
    why: "the dashboards draw the thresholds, SLO rules and budget amounts the CDK alarms and budgets use, from the CDK's own source",
  },
  {
    from: '^deploy/test/dashboards',
    to: '^infra/test/helpers/promql\\.ts$',
    why: "the dashboards' PromQL is parsed by the same checker the alert rules' tests use",
  },
  {
    from: '^cost/test/',
    to: '^infra/lib/',
    why: 'the cost tests price the real CDK app synthesized in process, not a fixture that could drift from it',
  },
  {
    from: '^local/test/',
    to: '^infra/lib/constructs/spa-fallback-function\\.ts$',
    why: "the local edge's SPA fallback is tested against the CloudFront function's own source",
  },
  {
    from: '^infra/test/',
    to: '^gameday/src/',
    why: 'the runbooks test checks every drill a runbook names exists in the game-day registry',
  },
];

const regexOf = (path) => path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const partPath = (part) => `^${regexOf(part)}/`;

/** One rule per part: it may import config/, itself, and the edges listed for it; nothing else of ours. */
const crossPartRules = PARTS.map((part) => {
  const edges = CROSS_PART_EDGES.filter((edge) => edge.from.replace(/^\^/, '').startsWith(`${part}/`));
  return {
    name: part === 'config' ? 'config-imports-no-other-part' : `${part.replace('/', '-')}-only-through-config`,
    comment: `${part}/ imports another part only through config/ (@innovate/config)${
      edges.length ? `, or along its listed edges: ${edges.map((edge) => `${edge.from} → ${edge.to}`).join('; ')}` : ''
    }`,
    severity: 'error',
    from: { path: partPath(part) },
    to: {
      path: `^(${[...PARTS, '.github']
        .filter((other) => other !== part)
        .map(regexOf)
        .join('|')})/`,
      pathNot: [partPath('config'), ...edges.map((edge) => edge.to)],
    },
  };
});

/** Listed edges hold only from their own folder: a product file of the same part may not use them. */
const edgeScopeRules = CROSS_PART_EDGES.map((edge, index) => ({
  name: `cross-part-edge-${index + 1}-scope`,
  comment: `${edge.to} is open only to ${edge.from}: ${edge.why}`,
  severity: 'error',
  from: {
    path: partPath(PARTS.find((part) => edge.from.replace(/^\^/, '').startsWith(`${part}/`))),
    pathNot: edge.from,
  },
  to: { path: edge.to },
}));

/** Test code: test files, test folders, test helpers and the runner's configuration (web's vite.config holds it too). */
const TEST_CODE = [
  '\\.(test|e2e)\\.tsx?$',
  '(^|/)(test|tests|e2e)/',
  '^web/src/testing/',
  '(^|/)vitest\\.config\\.ts$',
  '^web/vite\\.config\\.ts$',
];

module.exports = {
  forbidden: [
    ...crossPartRules,
    ...edgeScopeRules,
    {
      name: 'no-part-imports-github',
      comment:
        '.github/ holds the workflows and the checks that keep them in line with the parts; nothing builds on it',
      severity: 'error',
      from: { path: `^(${PARTS.map(regexOf).join('|')})/` },
      to: { path: '^\\.github/' },
    },
    {
      name: 'no-test-runner-in-product',
      comment:
        'product code never imports a test runner or testing library (they are dev dependencies, absent at run time)',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      // Resolved into node_modules, or named as written when not installed.
      to: {
        path: [
          '(^|/)node_modules/(vitest|@vitest/[^/]+|@testing-library/[^/]+)/',
          '^(vitest|@vitest/|@testing-library/)',
        ],
      },
    },
    {
      name: 'no-test-code-in-product',
      comment:
        'product code never imports a test file or a test helper: what a test needs moves into the product, or stays in test code',
      severity: 'error',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'web-features-not-app',
      comment:
        'web: a feature does not import the app shell (routes and providers compose features, not the other way)',
      severity: 'error',
      from: { path: '^web/src/features/' },
      to: { path: '^web/src/(app/|main\\.tsx$)' },
    },
    {
      name: 'web-shared-not-features-or-app',
      comment: 'web: components, lib and config are shared by every feature and import neither features nor the app',
      severity: 'error',
      from: { path: '^web/src/(components|lib|config)/' },
      to: { path: '^web/src/(features/|app/|main\\.tsx$)' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles: each cycle is a layer that is not one',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    // Build output only (anchored: a package's own dist/ in node_modules must still resolve).
    exclude: { path: '^(infra/cdk\\.out|web/dist|deploy/rendered)/' },
    // Type-only imports count: a layer that needs another's types depends on it all the same.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
