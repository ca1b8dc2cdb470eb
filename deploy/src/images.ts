/**
 * Image pins: `deploy/images.yaml` maps each environment to the digest of the API image it runs.
 *
 * No image is built here. CI builds and pushes the image to the environment's ECR repository, then opens a
 * promotion PR that rewrites one digest in this file and the render (ADR 0062). The registry and repository are
 * never written in the file: they follow from the config (account, region, `names.apiRepositoryName`), so an
 * image can only ever come from the environment's own registry.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedEnvironment } from '@innovate/config';
import { parse } from 'yaml';

export const IMAGES_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'images.yaml');
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ImagePin {
  /** `<account>.dkr.ecr.<region>.amazonaws.com` */
  registry: string;
  repository: string;
  digest: string;
  /** `registry/repository@digest`, what the pod spec uses. */
  reference: string;
}

export class ImagePinError extends Error {
  override name = 'ImagePinError';
}

/** The ECR registry host of an environment's account and region. */
export function ecrRegistry(env: ResolvedEnvironment): string {
  return `${env.account.id}.dkr.ecr.${env.region}.amazonaws.com`;
}

export function loadApiImage(env: ResolvedEnvironment, file: string = IMAGES_FILE): ImagePin {
  const raw = parse(readFileSync(file, 'utf8')) as unknown;
  const digest = (raw as { api?: Record<string, { digest?: unknown }> } | null)?.api?.[env.name]?.digest;
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new ImagePinError(
      `images.yaml: api.${env.name}.digest: expected sha256:<64 hex>, got ${JSON.stringify(digest ?? null)}`,
    );
  }
  const registry = ecrRegistry(env);
  const repository = env.names.apiRepositoryName;
  return { registry, repository, digest, reference: `${registry}/${repository}@${digest}` };
}
