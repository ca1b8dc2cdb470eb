/**
 * Which environments a push to main re-pinned: compares deploy/images.yaml at the commit before the push with the
 * pushed one and prints `<env>=true|false` lines for $GITHUB_OUTPUT. promote.yml's delivery jobs run only for the
 * environments whose digest changed (a merged promotion PR changes exactly one).
 *
 *   npx tsx .github/scripts/changed-pins.ts "$BEFORE" >> "$GITHUB_OUTPUT"
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadPlatformConfig } from '@innovate/config';
import { IMAGES_FILE, pinnedDigest } from '../../deploy/src/images.ts';

/** Environments whose pinned digest differs between the two texts of images.yaml (`before` may be absent). */
export function changedPins(before: string | undefined, after: string, envNames: string[]): Record<string, boolean> {
  const digest = (text: string | undefined, name: string) => {
    if (text === undefined) return undefined;
    try {
      return pinnedDigest(text, name);
    } catch {
      return undefined;
    }
  };
  return Object.fromEntries(envNames.map((name) => [name, digest(before, name) !== digest(after, name)]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const before = process.argv[2];
    if (!before) throw new Error('usage: changed-pins.ts <commit before the push>');
    let previous: string | undefined;
    try {
      previous = execFileSync('git', ['show', `${before}:deploy/images.yaml`], { encoding: 'utf8' });
    } catch {
      previous = undefined; // a new branch or a first commit: every environment counts as changed
    }
    const names = loadPlatformConfig().environments.map((env) => env.name);
    for (const [name, changed] of Object.entries(changedPins(previous, readFileSync(IMAGES_FILE, 'utf8'), names)))
      console.log(`${name}=${changed}`);
  } catch (error) {
    console.error(`changed-pins: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(2);
  }
}
