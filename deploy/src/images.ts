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
import { parse, parseDocument } from 'yaml';

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

/**
 * Returns the text of images.yaml with one environment's digest replaced, comments and layout kept — what CI's
 * promotion PR commits (with the fresh render). A malformed digest is refused before anything is written.
 */
export function withPinnedDigest(text: string, envName: string, digest: string): string {
  if (!DIGEST.test(digest)) {
    throw new ImagePinError(`digest: expected sha256:<64 hex>, got ${JSON.stringify(digest)}`);
  }
  const document = parseDocument(text);
  if (!document.hasIn(['api', envName])) throw new ImagePinError(`images.yaml: api.${envName}: no such environment`);
  document.setIn(['api', envName, 'digest'], digest);
  return document.toString({ lineWidth: 0 });
}

/** The digest an environment runs now (to promote it to the next environment). */
export function pinnedDigest(text: string, envName: string): string {
  const digest = (parse(text) as { api?: Record<string, { digest?: unknown }> } | null)?.api?.[envName]?.digest;
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new ImagePinError(
      `images.yaml: api.${envName}.digest: expected sha256:<64 hex>, got ${JSON.stringify(digest ?? null)}`,
    );
  }
  return digest;
}
