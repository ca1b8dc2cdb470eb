/**
 * Which JavaScript files a browser needs for a path through the SPA, read from Vite's build manifest
 * (`dist/.vite/manifest.json`) rather than listed by hand: a chunk is needed with everything it imports statically,
 * and a path goes from the entry through named dynamic imports (`import('./app/render')`, then a route's page).
 */

/** One record of Vite's manifest, keyed by source module (or `_name.js` for a shared chunk). */
export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export class BundleGraphError extends Error {
  override name = 'BundleGraphError';
}

/** The manifest key of the one entry chunk (`index.html` for an SPA). */
export function entryKey(manifest: Manifest): string {
  const entries = Object.keys(manifest).filter((key) => manifest[key]?.isEntry);
  if (entries.length !== 1) {
    throw new BundleGraphError(`the manifest has ${entries.length} entry chunks, expected exactly one`);
  }
  return entries[0] as string;
}

/** `keys` and every chunk they import statically, as manifest keys. */
export function staticClosure(manifest: Manifest, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...keys];
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    if (seen.has(key)) continue;
    const chunk = manifest[key];
    if (!chunk) throw new BundleGraphError(`the manifest has no chunk for ${key}`);
    seen.add(key);
    queue.push(...(chunk.imports ?? []));
  }
  return seen;
}

/**
 * The files (`assets/….js`) a browser loads to follow `steps` from the entry: each step is a module that some chunk
 * already loaded imports dynamically. Fails when a step is not such a dynamic import — a renamed module, or one
 * that became a static import and so moved into an earlier chunk — so the measured path cannot silently shrink.
 */
export function pathFiles(manifest: Manifest, steps: string[]): Set<string> {
  const loaded = staticClosure(manifest, [entryKey(manifest)]);
  for (const step of steps) {
    const reachable = [...loaded].some((key) => manifest[key]?.dynamicImports?.includes(step));
    if (!reachable) {
      throw new BundleGraphError(`${step} is not imported dynamically by any chunk loaded before it`);
    }
    for (const key of staticClosure(manifest, [step])) loaded.add(key);
  }
  return new Set([...loaded].map((key) => (manifest[key] as ManifestChunk).file));
}
