import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The targets the front door defines: every `name:` rule in the Makefile and mk/*.mk. Read from the files rather
 * than `make -pn`, which would evaluate every include and run its shell calls.
 */
export function makeTargets(root: string): Set<string> {
  const files = [
    'Makefile',
    ...readdirSync(join(root, 'mk'))
      .filter((name) => name.endsWith('.mk'))
      .map((name) => join('mk', name)),
  ];
  const targets = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(join(root, file), 'utf8').matchAll(/^([a-z][a-zA-Z0-9_-]*)\s*:(?!=)/gm)) {
      if (match[1]) targets.add(match[1]);
    }
  }
  return targets;
}
