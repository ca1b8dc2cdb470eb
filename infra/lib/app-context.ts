/**
 * The one place that turns `infra/cdk.json` into an `App`.
 *
 * The CDK CLI passes cdk.json's context (feature flags, seeded availability zones) to the app; a plain `node` run or a
 * unit test does not, and then synthesizes different templates (older defaults, dummy AZs). Tests and scripts build
 * their `App` here so they see exactly what `cdk synth` sees.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps } from 'aws-cdk-lib';

export const INFRA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CDK_JSON = join(INFRA_DIR, 'cdk.json');

/** The `context` block of cdk.json: feature flags and the seeded `availability-zones:...` lookups. */
export function cdkJsonContext(): Record<string, unknown> {
  const parsed = JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context?: Record<string, unknown> };
  return parsed.context ?? {};
}

/**
 * An App for tests: cdk.json's context, plus `aws:cdk:disable-asset-staging` so each `Template.fromStack` does not
 * copy ~57 MB of kubectl/awscli layer assets. Only tests use this; `make synth` stages assets as a deploy would.
 */
export function testApp(props: Omit<AppProps, 'context'> = {}): App {
  return new App({
    ...props,
    analyticsReporting: false,
    context: { ...cdkJsonContext(), 'aws:cdk:disable-asset-staging': true },
  });
}
