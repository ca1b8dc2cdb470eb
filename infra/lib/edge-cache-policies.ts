/**
 * CloudFront's cache policies for config's SPA cache rules (config/src/cache-rules.ts, requirement EDGE-1), so the
 * distribution caches each file as long as the rule says and no TTL is typed here again.
 *
 * Managed policies only: CachingDisabled for a rule a shared cache may not keep, CachingOptimized otherwise. The
 * latter keeps an object as long as the origin's Cache-Control max-age says (the S3 object metadata the SPA upload
 * sets from the same rule), between its minimum and maximum TTL.
 */
import { type CACHE_RULES, type CacheRule, HASHED_ASSETS_PREFIX } from '@innovate/config/cache-rules';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';

/** CachingOptimized's maximum TTL (one year, fixed by AWS): a rule asking for longer cannot be met by it. */
export const CACHING_OPTIMIZED_MAX_TTL_SECONDS = 31_536_000;

export function cachePolicyFor(name: string, rule: CacheRule): cloudfront.ICachePolicy {
  if (rule.sharedCacheSeconds === 0) return cloudfront.CachePolicy.CACHING_DISABLED;
  if (rule.sharedCacheSeconds > CACHING_OPTIMIZED_MAX_TTL_SECONDS) {
    throw new Error(
      `cache rule ${name}.sharedCacheSeconds: ${rule.sharedCacheSeconds} exceeds CachingOptimized's maximum TTL (${CACHING_OPTIMIZED_MAX_TTL_SECONDS})`,
    );
  }
  return cloudfront.CachePolicy.CACHING_OPTIMIZED;
}

/**
 * The SPA's cache policies: the default behaviour serves the entry document and every other unhashed file, so those
 * two rules must agree on one policy; hashed assets get their own path pattern.
 */
export function spaCachePolicies(rules: Record<keyof typeof CACHE_RULES, CacheRule>): {
  defaultPolicy: cloudfront.ICachePolicy;
  hashedAssets: { pathPattern: string; policy: cloudfront.ICachePolicy };
} {
  const entry = cachePolicyFor('entryDocument', rules.entryDocument);
  if (cachePolicyFor('otherFiles', rules.otherFiles).cachePolicyId !== entry.cachePolicyId) {
    throw new Error(
      'cache rule otherFiles.sharedCacheSeconds: must match entryDocument (both use the default behaviour)',
    );
  }
  return {
    defaultPolicy: entry,
    hashedAssets: {
      pathPattern: `${HASHED_ASSETS_PREFIX}*`,
      policy: cachePolicyFor('hashedAssets', rules.hashedAssets),
    },
  };
}
