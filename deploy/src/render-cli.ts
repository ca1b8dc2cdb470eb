/**
 * The render entry point (what `make render` and the drift half of `make check-deploy` run):
 * - `render`   writes deploy/rendered/ (every environment: root folder + components, see layout.ts);
 * - `check`    fails when the committed render differs from a fresh one, naming each file;
 * - `pin <env> <digest>` / `promote <from> <to>` move the API image digest and re-render (CI's promotion PR).
 * The gates over the render (schema validation, policies, charts, first-deploy inputs) are checks/cli.ts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { addonImageGaps, loadAddonImages } from './addon-images.ts';
import { IMAGES_FILE, pinnedDigest, withPinnedDigest } from './images.ts';
import { RENDERED_DIR, RENDERED_ROOT, REPO_ROOT } from './layout.ts';
import { listFiles } from './list-files.ts';
import { renderAll } from './render.ts';
import { firstDeployGaps, loadSignatureTrust } from './signature-trust.ts';

/** Repository-relative path → text, every environment. */
function fresh(): Map<string, string> {
  return new Map([...renderAll().values()].flatMap((files) => [...files]));
}

function render(): void {
  const files = fresh();
  rmSync(RENDERED_DIR, { recursive: true, force: true });
  for (const [file, text] of files) {
    const path = join(REPO_ROOT, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  console.log(`rendered ${files.size} files under ${RENDERED_ROOT}/`);
}

function check(): number {
  const files = fresh();
  const committed = new Set(listFiles(RENDERED_DIR).map((path) => relative(REPO_ROOT, path)));
  const problems: string[] = [];
  for (const [file, text] of files) {
    if (!committed.has(file)) problems.push(`${file}: missing (run make render)`);
    else if (readFileSync(join(REPO_ROOT, file), 'utf8') !== text)
      problems.push(`${file}: differs from a fresh render (run make render)`);
    committed.delete(file);
  }
  for (const file of committed) problems.push(`${file}: not produced by the code (run make render)`);
  for (const problem of problems) console.error(problem);
  if (problems.length === 0) console.log(`render drift: none (${files.size} files)`);
  // Known, named gaps do not fail the build (the render is fail-closed without them), but are never silent.
  for (const gap of [...firstDeployGaps(loadSignatureTrust()), ...addonImageGaps(loadAddonImages())])
    console.warn(`first-deploy input unset: ${gap}`);
  return problems.length === 0 ? 0 : 1;
}

/**
 * `pin <env> <digest>` sets an environment's API image digest; `promote <from> <to>` copies one environment's
 * digest to the next. Both rewrite deploy/images.yaml and re-render: the diff is the promotion PR (ADR 0062).
 */
function pin(envName: string | undefined, digestOrFrom: string | undefined, mode: 'pin' | 'promote'): void {
  if (!envName || !digestOrFrom)
    throw new Error(`usage: render-cli.ts ${mode === 'pin' ? 'pin <env> <sha256:…>' : 'promote <from-env> <to-env>'}`);
  const config = loadPlatformConfig();
  const text = readFileSync(IMAGES_FILE, 'utf8');
  const [target, digest] =
    mode === 'pin'
      ? [config.environment(envName).name, digestOrFrom]
      : [config.environment(digestOrFrom).name, pinnedDigest(text, config.environment(envName).name)];
  writeFileSync(IMAGES_FILE, withPinnedDigest(text, target, digest));
  console.log(`images.yaml: api.${target}.digest = ${digest}`);
  render();
}

const command = process.argv[2];
try {
  if (command === 'render') render();
  else if (command === 'check') process.exitCode = check();
  else if (command === 'pin') pin(process.argv[3], process.argv[4], 'pin');
  else if (command === 'promote') pin(process.argv[3], process.argv[4], 'promote');
  else {
    console.error('usage: render-cli.ts render|check|pin|promote');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`${(error as Error).name}: ${(error as Error).message}`);
  process.exitCode = 1;
}
