/**
 * What a workflow needs to reach one environment, derived from config/ (never typed into a workflow): account,
 * region, the ECR registry and repository, the signing profile, the SPA bucket, the GitHub OIDC role ARNs whose
 * names config/src/names.ts fixes and infra/ creates, and the API digest deploy/images.yaml pins for it.
 * Prints `key=value` lines for $GITHUB_OUTPUT.
 *
 *   npx tsx .github/scripts/ci-env.ts dev >> "$GITHUB_OUTPUT"
 */
import { readFileSync } from 'node:fs';
import { loadPlatformConfig } from '@innovate/config';
import { IMAGES_FILE, pinnedDigest } from '../../deploy/src/images.ts';

/** The outputs, in one place, so the drift test can check every `steps.<id>.outputs.<key>` a workflow uses. */
export function ciEnvironment(envName: string): Record<string, string> {
  const env = loadPlatformConfig().environment(envName);
  const { names } = env;
  const account = env.account.id;
  const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;
  const registry = `${account}.dkr.ecr.${env.region}.amazonaws.com`;
  return {
    environment: env.name,
    account,
    region: env.region,
    registry,
    repository: names.apiRepositoryName,
    image: `${registry}/${names.apiRepositoryName}`,
    signing_profile_arn: `arn:aws:signer:${env.region}:${account}:/signing-profiles/${names.imageSigningProfileName}`,
    spa_bucket: names.spaBucketName,
    // Where users and the smoke tests reach the environment (CloudFront): the SPA, and the API under /api/*.
    app_url: `https://${env.dns.appHost}`,
    api_url: `https://${env.dns.apiHost}`,
    // The edge stack (CloudFront, its WAF and certificate, and this parameter) always lives in us-east-1.
    edge_region: 'us-east-1',
    distribution_id_parameter: names.spaDistributionIdParameterName,
    // The users stack's sign-in parameters (in the environment's region), for the SPA's config.json.
    auth_issuer_parameter: names.authIssuerParameterName,
    auth_client_id_parameter: names.authClientIdParameterName,
    // Cognito's discovery document has no end_session_endpoint: the SPA signs out at the managed login's /logout.
    auth_sign_out_url: `https://${names.userPoolDomainPrefix}.auth.${env.region}.amazoncognito.com/logout`,
    image_push_role_arn: role(names.ciImagePushRoleName),
    infra_deploy_role_arn: role(names.ciInfraDeployRoleName),
    spa_publish_role_arn: role(names.ciSpaPublishRoleName),
    // Read-only (cdk diff, drift detection); trusted by pull requests and main, never by a GitHub environment.
    infra_plan_role_arn: role(names.ciInfraPlanRoleName),
    pinned_digest: pinnedDigest(readFileSync(IMAGES_FILE, 'utf8'), env.name),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const name = process.argv[2];
    if (!name) throw new Error('usage: ci-env.ts <environment>');
    for (const [key, value] of Object.entries(ciEnvironment(name))) console.log(`${key}=${value}`);
  } catch (error) {
    console.error(`ci-env: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(2);
  }
}
