/**
 * `make web-size`: the JavaScript a browser downloads before anything else — the entry script of dist/index.html and
 * every module it preloads — gzipped as CloudFront serves it, against the budget. Fails above it, printing the figure.
 * Also prints, for scale, the first signed-in screen (the entry, the app shell that loads after sign-in and the
 * projects page, with their static imports) and the whole build.
 *
 *   node --import tsx web/scripts/check-bundle-size.ts [dist folder]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 90 * 1000;
const dist = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'dist'));
const html = readFileSync(join(dist, 'index.html'), 'utf8');

const initial = new Set<string>();
for (const match of html.matchAll(
  /<script[^>]*type="module"[^>]*src="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g,
)) {
  const path = match[1] ?? match[2];
  if (path) initial.add(path.replace(/^\//, ''));
}
if (initial.size === 0) {
  process.stderr.write(`web-size: no entry script found in ${join(dist, 'index.html')}\n`);
  process.exit(1);
}

const gzipped = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
let initialBytes = 0;
for (const file of initial) initialBytes += gzipped(file);
const allBytes = readdirSync(join(dist, 'assets'))
  .filter((name) => name.endsWith('.js'))
  .reduce((sum, name) => sum + gzipped(join('assets', name)), 0);

/** `files` and every chunk they import statically (Vite writes relative `./name.js` imports between chunks). */
function closure(files: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...files];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    for (const match of code.matchAll(/(?:from|import)\s*"\.\/([\w.-]+\.js)"/g)) {
      if (match[1]) queue.push(join('assets', match[1]));
    }
  }
  return seen;
}
const chunk = (prefix: string) =>
  readdirSync(join(dist, 'assets')).find((n) => n.startsWith(prefix) && n.endsWith('.js'));
const firstScreenParts = ['render-', 'projects-'].map(chunk).filter((n): n is string => n !== undefined);
const firstScreen = closure([...initial, ...firstScreenParts.map((n) => join('assets', n))]);
const firstScreenBytes = [...firstScreen].reduce((sum, file) => sum + gzipped(file), 0);

const verdict = initialBytes <= BUDGET_BYTES ? 'within' : 'OVER';
process.stdout.write(
  `web-size: initial JavaScript ${kb(initialBytes)} gzip (${[...initial].join(', ')}) — ${verdict} the ${kb(BUDGET_BYTES)} budget; first signed-in screen ${kb(firstScreenBytes)}; all chunks ${kb(allBytes)}\n`,
);
if (initialBytes > BUDGET_BYTES) process.exit(1);
