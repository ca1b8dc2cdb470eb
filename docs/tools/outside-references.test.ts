import { describe, expect, it } from 'vitest';
import { findOutsideReferences } from './outside-references.ts';

// The citations the check must find are built from their parts, so this file itself cites nothing.
const SECTION = '\u00a7';
const spec = (word: string, n: number) => `${word} ${SECTION}${n}`;
const issue = (word: string, n: number | string) => `${word} ${n}`;

describe('outside references', () => {
  it('finds a spec section, a tracker issue and the build-machine notes, with file and line', () => {
    const lines = [
      `// the VPC (${spec('spec', 3)})`,
      `# done in ${issue('issue', 4)}`,
      `see ${issue('Issue', '#12')}`,
      'measured (PITFALLS)',
      `${spec('Spec', 11)} asks`,
      `### How ${SECTION}11 maps`,
    ];
    const text = ['ok line', ...lines].join('\n');
    expect(findOutsideReferences([{ path: 'infra/a.ts', text }])).toEqual(
      lines.map((line, index) => `infra/a.ts:${index + 2}: ${line}`),
    );
  });

  it('accepts requirement ids, RFC sections and upstream links, and ignores generated files', () => {
    const clean =
      'the VPC (requirement NET-1); fixed upstream ([Ratify#2060](https://github.com/ratify-project/ratify/issues/2060))';
    expect(findOutsideReferences([{ path: 'infra/a.ts', text: clean }])).toEqual([]);
    expect(findOutsideReferences([{ path: 'infra/a.ts', text: `RFC 9110 ${SECTION}7.6.1` }])).toEqual([]);
    expect(findOutsideReferences([{ path: 'deploy/rendered/dev/x.yaml', text: `# ${spec('spec', 9)}` }])).toEqual([]);
  });
});
