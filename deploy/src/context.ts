/**
 * What every chart of one environment is built from: the resolved environment of the typed platform config
 * (`@innovate/config`) and the image pins. Charts read values only from here, never from literals that would
 * repeat a name the CDK side also knows.
 */
import type { OrganizationConfig, ResolvedEnvironment } from '@innovate/config';
import type { AddonImagePin } from './addon-images.ts';
import type { ImagePin } from './images.ts';
import type { SignatureTrust } from './signature-trust.ts';

export interface DeployContext {
  organization: OrganizationConfig;
  env: ResolvedEnvironment;
  /** The API image of this environment, pinned by digest (deploy/images.yaml). */
  apiImage: ImagePin;
  /** AWS Signer root and Notation plugin pins (deploy/signature-trust.yaml, ADR 0066). */
  signatureTrust: SignatureTrust;
  /** Tag and digest of each add-on image (deploy/addon-images.yaml, ADR 0072). */
  addonImages: Record<string, AddonImagePin>;
}

/**
 * Labels every rendered object carries. `app`, `team` and `cost-center` are the ones the Gatekeeper
 * `required-labels` constraint demands on workloads (requirements EKS-5, COST-1); they mirror the AWS cost tags.
 */
export function commonLabels(ctx: DeployContext, app: string): Record<string, string> {
  return {
    app,
    team: ctx.env.tags.owner,
    'cost-center': ctx.env.tags['cost-center'],
    env: ctx.env.name,
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/part-of': ctx.env.tags.app,
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
}
