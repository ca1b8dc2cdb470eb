/**
 * The cache rules of the SPA's files, defined once (requirement EDGE-1).
 *
 * Read by the local edge (`make up`), by CloudFront's cache behaviours (infra edge stack) and by the SPA upload
 * (`.github/scripts/spa-upload-args.ts`, which sets the S3 objects' Cache-Control), so a file is cached the same way
 * wherever it is served from.
 *
 * Vite writes every bundle to `/assets/` with a content hash in its name, so a changed file gets a new URL: those can
 * be cached for a year and never revalidated. `index.html` is the one entry point without a hash, naming the current
 * bundles; it must never be cached, or a deploy would keep serving old bundle names. Every other file (config.json,
 * favicon.ico, robots.txt) keeps its name across deploys: cacheable, but revalidated on every use.
 */

const ONE_YEAR_SECONDS = 31_536_000;

export interface CacheRule {
  /** The `Cache-Control` header the file is served with (S3 object metadata, local edge). */
  cacheControl: string;
  /**
   * How long a shared cache (CloudFront) may keep the file without asking the origin, in seconds; 0: it asks every
   * time.
   */
  sharedCacheSeconds: number;
}

/** The folder Vite writes hashed assets to (`build.assetsDir`). */
export const HASHED_ASSETS_PREFIX = '/assets/';

/** The SPA's entry document; every client route falls back to it. */
export const ENTRY_DOCUMENT = '/index.html';

export const CACHE_RULES = {
  /** Hashed build output under {@link HASHED_ASSETS_PREFIX}: the URL changes whenever the content does. */
  hashedAssets: {
    cacheControl: `public, max-age=${ONE_YEAR_SECONDS}, immutable`,
    sharedCacheSeconds: ONE_YEAR_SECONDS,
  },
  /** {@link ENTRY_DOCUMENT} (and `/`): never stored anywhere. */
  entryDocument: { cacheControl: 'no-store', sharedCacheSeconds: 0 },
  /** Every other file: may be stored, but revalidated before each use. */
  otherFiles: { cacheControl: 'no-cache', sharedCacheSeconds: 0 },
} as const satisfies Record<string, CacheRule>;

/** Hashed build output: the URL changes whenever the content does. */
export const CACHE_IMMUTABLE = CACHE_RULES.hashedAssets.cacheControl;
/** The SPA's entry document (and every client route that falls back to it). */
export const CACHE_NEVER = CACHE_RULES.entryDocument.cacheControl;
/** Other unhashed files (e.g. config.json, favicon.ico): cacheable, but revalidated on every use. */
export const CACHE_REVALIDATE = CACHE_RULES.otherFiles.cacheControl;

export function cacheRuleFor(urlPath: string): CacheRule {
  if (urlPath.startsWith(HASHED_ASSETS_PREFIX)) return CACHE_RULES.hashedAssets;
  if (urlPath === '/' || urlPath === ENTRY_DOCUMENT) return CACHE_RULES.entryDocument;
  return CACHE_RULES.otherFiles;
}

export function cacheControlFor(urlPath: string): string {
  return cacheRuleFor(urlPath).cacheControl;
}
