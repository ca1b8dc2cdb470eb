/**
 * Where rendered files go. The root Application syncs `names.renderedManifestsPath` (`deploy/rendered/<env>/`),
 * which holds only Argo CD objects; every component its child Applications sync lives outside that folder, under
 * `deploy/rendered/components/<env>/<component>/`. So the root applies Argo CD objects only — whether it recurses
 * into subfolders or not (the bootstrap copy the CDK side creates does) — and no object is ever owned by two
 * Applications.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeployContext } from './context.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Repository-relative folder of everything generated here. */
export const RENDERED_ROOT = 'deploy/rendered';
export const RENDERED_DIR = join(REPO_ROOT, RENDERED_ROOT);

/** Repository-relative path of a file the root Application syncs. */
export function rootFile(ctx: DeployContext, name: string): string {
  return `${ctx.env.names.renderedManifestsPath}/${name}`;
}

/** Repository-relative folder of the environment's components. */
export function componentsDir(envName: string): string {
  return `${RENDERED_ROOT}/components/${envName}`;
}

/** Repository-relative folder one child Application syncs. */
export function componentDir(ctx: DeployContext, component: string): string {
  return `${componentsDir(ctx.env.name)}/${component}`;
}

/** The one file of a component: `deploy/rendered/components/<env>/<component>/<component>.yaml`. */
export function componentFile(ctx: DeployContext, component: string): string {
  return `${componentDir(ctx, component)}/${component}.yaml`;
}
