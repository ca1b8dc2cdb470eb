import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The product (deploy/src: what renders the manifests) must stand without its gates (deploy/checks): a check may
// read the product, never the other way round, so the render never loads a test runner or a validator.
const DEPLOY = resolve(import.meta.dirname, '..');
const SRC = join(DEPLOY, 'src');
const CHECKS = join(DEPLOY, 'checks');

/** Static imports, re-exports, side-effect imports and dynamic `import()`: the specifier of each. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** The specifiers in `text` (the source of `file`) that resolve into deploy/checks. */
function importsIntoChecks(file: string, text: string): string[] {
  return [...text.matchAll(SPECIFIER)]
    .map((match) => match[1] as string)
    .filter((specifier) => specifier.startsWith('.') || specifier.startsWith('/'))
    .filter((specifier) => {
      const target = resolve(dirname(file), specifier);
      return target === CHECKS || target.startsWith(`${CHECKS}/`);
    });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.[cm]?tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the product (deploy/src) imports nothing from its checks (deploy/checks)', () => {
  it('no file under deploy/src imports a module under deploy/checks', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(20);
    const offending = files.flatMap((file) =>
      importsIntoChecks(file, readFileSync(file, 'utf8')).map((specifier) => `${relative(DEPLOY, file)}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('the scan catches every import form and lets imports within the product pass', () => {
    const file = join(SRC, 'charts', 'policies.ts');
    const text = [
      "import { POLICIES_DIR } from '../rego-folder.ts';",
      "import { OPA } from '../../checks/policy/opa.ts';",
      "import type { SourcedObject } from '../../checks/validate/validate.ts';",
      "export { runChartGate } from '../../checks/charts-check/gate.ts';",
      "import '../../checks/bench/bench.ts';",
      "const cli = await import('../../checks/cli.ts');",
      "import { renderAll } from '../render.ts';",
    ].join('\n');
    expect(importsIntoChecks(file, text)).toEqual([
      '../../checks/policy/opa.ts',
      '../../checks/validate/validate.ts',
      '../../checks/charts-check/gate.ts',
      '../../checks/bench/bench.ts',
      '../../checks/cli.ts',
    ]);
  });
});
