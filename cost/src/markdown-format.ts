/**
 * Generated Markdown is written the way `make lint` (Biome) formats it, so that a generated file passes the linter
 * and formatting it never makes the drift check fail.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const BIOME = join(REPO_ROOT, 'node_modules', '.bin', 'biome');

export function formatMarkdown(text: string): string {
  // The stdin path only tells Biome the language and the config that applies (the repository's); nothing is read
  // from or written to it.
  const done = spawnSync(BIOME, ['format', '--stdin-file-path=docs/generated.md'], {
    cwd: REPO_ROOT,
    input: text,
    encoding: 'utf8',
  });
  if (done.status !== 0) throw new Error(`biome format (Markdown) failed: ${done.stderr.trim().split('\n')[0]}`);
  return done.stdout;
}
