/**
 * The repository stands alone: no file may cite a document that is not in it — a numbered section of an outside
 * specification (a section sign and a number), a tracker's issue by its number, or the build machines' notes. Such a
 * citation becomes a requirement id from docs/requirements.md, or goes. Upstream projects' issues are cited as links
 * (owner/repo#N).
 *
 *   node --import tsx docs/tools/outside-references.ts   one line per finding (file:line: text), exit 1 if any
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** What counts as an outside reference. */
// A section sign before a number is an outside document's section, except after an RFC's number (an RFC citation).
export const OUTSIDE_REFERENCE = /(?<!RFC \d{3,5} )§\s?\d|\bissues? #?\d+\b|\bDESIGN\.md\b|\bPITFALLS\b/i;

/** Generated or third-party files: not ours to word (the lock file's package names, the render's copies of sources). */
const IGNORED = [/^package-lock\.json$/, /(^|\/)uv\.lock$/, /^deploy\/rendered\//, /(^|\/)go\.sum$/];

export function findOutsideReferences(files: { path: string; text: string }[]): string[] {
  const findings: string[] = [];
  for (const { path, text } of files) {
    if (IGNORED.some((pattern) => pattern.test(path))) continue;
    text.split('\n').forEach((line, index) => {
      if (OUTSIDE_REFERENCE.test(line)) findings.push(`${path}:${index + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  return findings;
}

function main(): number {
  const paths = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  // The test names the build-machine notes it must find (its other citations are built from parts).
  const own = new Set(['docs/tools/outside-references.test.ts']);
  const files = paths
    .filter(
      (path) =>
        !own.has(path) &&
        /\.(ts|tsx|js|mjs|cjs|py|md|ya?ml|json|rego|sh|mk|toml|cfg|txt)$|(^|\/)(Makefile|Dockerfile)$/.test(path),
    )
    .flatMap((path) => {
      try {
        return [{ path, text: readFileSync(join(REPO_ROOT, path), 'utf8') }];
      } catch {
        return []; // deleted in the working tree but still in the index
      }
    });
  const findings = findOutsideReferences(files);
  for (const finding of findings) console.error(finding);
  if (findings.length > 0) {
    console.error(
      `outside-references: ${findings.length} citations of documents that are not in the repository; cite a requirement id (docs/requirements.md) instead`,
    );
    return 1;
  }
  console.log(`outside-references: ${files.length} files, none cites a document outside the repository`);
  return 0;
}

if (process.argv[1] === import.meta.filename) process.exitCode = main();
