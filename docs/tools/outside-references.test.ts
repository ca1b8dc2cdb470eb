import { describe, expect, it } from 'vitest';
import { findOutsideReferences } from './outside-references.ts';

describe('outside references', () => {
  it('finds a spec section, a tracker issue and the build-machine notes, with file and line', () => {
    const text = [
      'ok line',
      '// the VPC (spec §3)',
      '# done in issue 4',
      'see Issue #12',
      'measured (PITFALLS)',
      'Spec §11 asks',
      '### How §11 maps',
    ].join('\n');
    expect(findOutsideReferences([{ path: 'infra/a.ts', text }])).toEqual([
      'infra/a.ts:2: // the VPC (spec §3)',
      'infra/a.ts:3: # done in issue 4',
      'infra/a.ts:4: see Issue #12',
      'infra/a.ts:5: measured (PITFALLS)',
      'infra/a.ts:6: Spec §11 asks',
      'infra/a.ts:7: ### How §11 maps',
    ]);
  });

  it('accepts requirement ids and upstream links, and ignores generated files', () => {
    const clean =
      'the VPC (requirement NET-1); fixed upstream ([Ratify#2060](https://github.com/ratify-project/ratify/issues/2060))';
    expect(findOutsideReferences([{ path: 'infra/a.ts', text: clean }])).toEqual([]);
    expect(findOutsideReferences([{ path: 'deploy/rendered/dev/x.yaml', text: '# spec §9' }])).toEqual([]);
  });
});
