/**
 * The cache rules of the SPA's files: the same ones CloudFront's cache behaviours and the S3 object metadata use.
 *
 * Vite writes every bundle to `/assets/` with a content hash in its name, so a changed file gets a new URL: those can
 * be cached for a year and never revalidated. `index.html` is the one entry point without a hash, naming the current
 * bundles; it must never be cached, or a deploy would keep serving old bundle names.
 */

/** Hashed build output: the URL changes whenever the content does. */
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
/** The SPA's entry document (and every client route that falls back to it). */
export const CACHE_NEVER = 'no-store';
/** Other unhashed files (e.g. favicon.ico, robots.txt): cacheable, but revalidated on every use. */
export const CACHE_REVALIDATE = 'no-cache';

/** The folder Vite writes hashed assets to (`build.assetsDir`). */
export const HASHED_ASSETS_PREFIX = '/assets/';

export function cacheControlFor(urlPath: string): string {
  if (urlPath.startsWith(HASHED_ASSETS_PREFIX)) return CACHE_IMMUTABLE;
  if (urlPath === '/' || urlPath === '/index.html') return CACHE_NEVER;
  return CACHE_REVALIDATE;
}
