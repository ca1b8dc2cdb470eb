/**
 * The `aws` commands that upload the built SPA to its bucket, each file with the Cache-Control of config's cache
 * rules (config/src/cache-rules.ts, the rules CloudFront and the local edge follow), so no cache value is typed into
 * the workflow. Order matters: hashed assets first, then the other files, index.html last, so a client never gets an
 * index.html naming bundles that are not there yet. Old hashed assets stay for clients holding the previous
 * index.html.
 *
 * Prints one command per line as a JSON list of arguments (after `aws`), for spa-publish.yml to run without a shell
 * re-parsing them:
 *
 *   npx tsx .github/scripts/spa-upload-args.ts web/dist "$BUCKET"
 */
import { pathToFileURL } from 'node:url';
import { CACHE_RULES, ENTRY_DOCUMENT, HASHED_ASSETS_PREFIX } from '@innovate/config/cache-rules';

/** Vite's build manifest (make web-size reads it): in the build folder, not something to serve. */
const NOT_SERVED = ['.vite/*'];

export function spaUploadCommands(dist: string, bucket: string): string[][] {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`bucket: not an S3 bucket name: ${bucket}`);
  const assets = HASHED_ASSETS_PREFIX.replace(/^\/|\/$/g, '');
  const entry = ENTRY_DOCUMENT.replace(/^\//, '');
  const target = `s3://${bucket}`;
  return [
    [
      's3',
      'sync',
      `${dist}/${assets}`,
      `${target}/${assets}`,
      '--cache-control',
      CACHE_RULES.hashedAssets.cacheControl,
    ],
    [
      's3',
      'sync',
      dist,
      target,
      ...[...NOT_SERVED, `${assets}/*`, entry].flatMap((pattern) => ['--exclude', pattern]),
      '--cache-control',
      CACHE_RULES.otherFiles.cacheControl,
    ],
    ['s3', 'cp', `${dist}/${entry}`, `${target}/${entry}`, '--cache-control', CACHE_RULES.entryDocument.cacheControl],
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dist, bucket] = process.argv.slice(2);
  if (!dist || !bucket) {
    console.error('usage: spa-upload-args.ts <build folder> <bucket>');
    process.exit(2);
  }
  for (const command of spaUploadCommands(dist, bucket)) console.log(JSON.stringify(command));
}
