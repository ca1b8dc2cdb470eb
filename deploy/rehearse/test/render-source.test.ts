import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { atCommit, previousRenderCommit, RENDERED_ROOT, workingTree } from '../src/render-source.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('the render the upgrade starts from', () => {
  it('is the newest first-parent commit whose deploy/rendered/ differs from the working tree', () => {
    const previous = previousRenderCommit(REPO);
    const then = atCommit(REPO, previous);
    const now = workingTree(REPO);
    const differs = (a: typeof then, b: typeof now) => {
      const files = [...new Set([...a.files(), ...b.files()])];
      return files.some((f) => !a.files().includes(f) || !b.files().includes(f) || a.read(f) !== b.read(f));
    };
    expect(differs(then, now)).toBe(true);
    // Every first-parent commit after it that touched the render has the working tree's render.
    const newer = execFileSync(
      'git',
      ['log', '--first-parent', '--format=%H', `${previous}..HEAD`, '--', RENDERED_ROOT],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter(Boolean);
    for (const commit of newer) expect(differs(atCommit(REPO, commit), now), commit).toBe(false);
  });
});
