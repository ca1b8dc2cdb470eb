/**
 * What `make up` reads from the environment, validated before anything starts: a bad value is one line naming the
 * variable.
 */
import { isAbsolute, join, resolve } from 'node:path';

export interface UpSettings {
  /** The edge's port on 127.0.0.1 (PORT, default 8080). */
  port: number;
  /** A user-provided database (DATABASE_URL): the embedded PostgreSQL is then not started. */
  databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data across restarts (LOCAL_DATA_DIR, default .local/ in the repo). */
  dataDir: string;
  /** The built SPA the edge serves (WEB_DIST_DIR, default web/dist). */
  webDistDir: string;
  /** `--dev` (`make dev`): the edge serves the SPA from Vite's dev server (hot reload) instead of `webDistDir`. */
  dev: boolean;
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** `argv`: the supervisor's own arguments (`process.argv.slice(2)`); only `--dev` is one. */
export function readSettings(env: NodeJS.ProcessEnv, repoRoot: string, argv: readonly string[] = []): UpSettings {
  const unknown = argv.find((arg) => arg !== '--dev');
  if (unknown !== undefined) throw new SettingsError(`unknown argument "${unknown}" (the only one is --dev)`);
  return {
    dev: argv.includes('--dev'),
    port: portFrom(env, 'PORT', 8080),
    databaseUrl: databaseUrlFrom(env),
    dataDir: dirFrom(env, 'LOCAL_DATA_DIR', join(repoRoot, '.local'), repoRoot),
    webDistDir: dirFrom(env, 'WEB_DIST_DIR', join(repoRoot, 'web', 'dist'), repoRoot),
  };
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new SettingsError(`${name} must be a port number from 1 to 65535, got "${raw}"`);
  }
  return port;
}

function databaseUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError('DATABASE_URL must be a URL like postgresql://user:password@host:5432/dbname');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new SettingsError(`DATABASE_URL must start with postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

function dirFrom(env: NodeJS.ProcessEnv, name: string, fallback: string, repoRoot: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  return isAbsolute(raw) ? raw : resolve(repoRoot, raw);
}
