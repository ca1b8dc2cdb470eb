/**
 * `make web-size`: the JavaScript a user waits for, gzipped as CloudFront serves it, against the 90 KB budget. Two
 * paths, each derived from Vite's build manifest (scripts/bundle-graph.ts), and each must fit:
 * - the first signed-in screen: the entry, the app shell it imports after sign-in and the landing page (`/`, the
 *   projects list), each with its static imports;
 * - sign-in: the entry and the sign-in code a visitor runs before being sent to the identity provider.
 * Also printed, for scale: the return from sign-in (both paths, fetched in parallel) and the whole build.
 *
 *   node --import tsx web/scripts/check-bundle-size.ts [dist folder]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BundleGraphError, type Manifest, pathFiles } from './bundle-graph';

const BUDGET_BYTES = 90 * 1000;
/** Dynamic imports from the entry to the page a signed-in user lands on, in the order the browser follows them. */
const FIRST_SIGNED_IN_SCREEN = ['src/app/render.tsx', 'src/app/routes/projects.tsx'];
const SIGN_IN = ['src/lib/auth/auth.ts'];

const dist = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'dist'));
const fail = (message: string): never => {
  process.stderr.write(`web-size: ${message}\n`);
  process.exit(1);
};

let manifest: Manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
} catch (error) {
  fail(
    `cannot read ${join(dist, '.vite', 'manifest.json')} (build with build.manifest on): ${(error as Error).message}`,
  );
}

let firstScreen: Set<string>;
let signIn: Set<string>;
try {
  firstScreen = pathFiles(manifest, FIRST_SIGNED_IN_SCREEN);
  signIn = pathFiles(manifest, SIGN_IN);
} catch (error) {
  if (!(error instanceof BundleGraphError)) throw error;
  fail(`${error.message} (update the path in ${import.meta.filename} if the app's structure changed)`);
}

const gzipped = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const total = (files: Iterable<string>) => [...files].reduce((sum, file) => sum + gzipped(file), 0);
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const all = readdirSync(join(dist, 'assets'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => join('assets', name));

const checked = [
  { name: 'first signed-in screen', files: firstScreen },
  { name: 'sign-in', files: signIn },
];
let over = false;
for (const { name, files } of checked) {
  const bytes = total(files);
  over ||= bytes > BUDGET_BYTES;
  process.stdout.write(
    `web-size: ${name} ${kb(bytes)} gzip — ${bytes <= BUDGET_BYTES ? 'within' : 'OVER'} the ${kb(BUDGET_BYTES)} budget (${[...files].sort().join(', ')})\n`,
  );
}
process.stdout.write(
  `web-size: for scale, the return from sign-in (both, in parallel) ${kb(total(new Set([...firstScreen, ...signIn])))}; all chunks ${kb(total(all))}\n`,
);
if (over) process.exit(1);
