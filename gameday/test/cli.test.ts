import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRILL_NAMES } from '../src/drill.ts';
import { DRILLS } from '../src/registry.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

describe('make gameday', () => {
  it('refuses an unknown drill in one line that lists the drills, exit 2', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join('gameday', 'src', 'cli.ts'), '--drill', 'nope'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `gameday: no drill named "nope"; the drills are: ${DRILL_NAMES.join(', ')}`,
    ]);
  });

  it('has a drill for every name', () => {
    expect(Object.keys(DRILLS).sort()).toEqual([...DRILL_NAMES].sort());
  });
});
