import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProblems, type Group, parseRequirements, RequirementsError, renderMarkdown } from './requirements.ts';

/** A tiny repository: one test file, one makefile target. */
function fixtureRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'requirements-'));
  mkdirSync(join(root, 'mk'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'Makefile'), 'test: ## all\n\t@true\n');
  writeFileSync(join(root, 'mk', 'part.mk'), 'VAR := 1\ntest-part: deps\n\t@true\n');
  writeFileSync(join(root, 'src', 'feature.ts'), '');
  writeFileSync(join(root, 'src', 'feature.test.ts'), "describe('the feature holds', () => {});\n");
  return root;
}

const group = (requirement: Partial<Group['requirements'][number]>): Group[] => [
  {
    id: 'APP',
    title: 'App',
    requirements: [{ id: 'APP-1', text: 't', where: ['src/feature.ts'], proof: [], status: 'met', ...requirement }],
  },
];

describe('the traceability check', () => {
  const root = fixtureRepo();

  it('accepts proofs that exist: a file, a test name inside it, a make target', () => {
    const proof = [{ file: 'src/feature.test.ts', name: 'the feature holds' }, { make: 'test-part' }];
    expect(findProblems(group({ proof }), root)).toEqual([]);
  });

  it('names each missing proof: file, test name, make target', () => {
    const proof = [
      { file: 'src/gone.test.ts' },
      { file: 'src/feature.test.ts', name: 'a test that was renamed' },
      { make: 'test-gone' },
    ];
    expect(findProblems(group({ proof }), root)).toEqual([
      'APP-1: proof: src/gone.test.ts does not exist',
      'APP-1: proof: src/feature.test.ts has no test named "a test that was renamed"',
      'APP-1: proof: make test-gone is not a target of the Makefile',
    ]);
  });

  it('refuses a met requirement without proof, and a place that does not exist', () => {
    expect(findProblems(group({ where: ['src/moved.ts'] }), root)).toEqual([
      'APP-1: has no proof; add one or set status: not-built',
      'APP-1: where: src/moved.ts does not exist',
    ]);
  });
});

describe('the requirements file', () => {
  it('names the field of a malformed entry', () => {
    const yaml = (entry: string) => `groups:\n  - id: APP\n    title: App\n    requirements:\n      - ${entry}\n`;
    expect(() => parseRequirements(yaml('{ id: NET-1, text: t, status: met }'))).toThrow(
      /requirements\[0\]\.id must look like APP-<n>/,
    );
    expect(() => parseRequirements(yaml('{ id: APP-1, text: t, status: done }'))).toThrow(
      /APP-1\)\.status must be one of/,
    );
    expect(() => parseRequirements(yaml('{ id: APP-1, text: t, status: partial }'))).toThrow(
      /note is required when status is partial/,
    );
    expect(() =>
      parseRequirements(yaml('{ id: APP-1, text: t, status: met }\n      - { id: APP-1, text: u, status: met }')),
    ).toThrow(RequirementsError);
  });

  it('renders one anchored row per requirement with its status', () => {
    const markdown = renderMarkdown(group({ status: 'partial', note: 'half of it', proof: [{ make: 'test' }] }));
    expect(markdown).toContain(
      '| <a id="app-1"></a>APP-1 | t | [src/feature.ts](../src/feature.ts) | `make test` | partial: half of it |',
    );
    expect(markdown).toContain('1 requirements: 0 met, 1 partial, 0 not built yet.');
  });
});
