/**
 * Whether `make up` has the API's environment compiled to bytecode, and the record that it did.
 *
 * Where PYTHONDONTWRITEBYTECODE is set (this machine's environment sets it; so does the API image, whose build
 * compiles instead), Python caches no bytecode: every start of the API and of migrate compiled Flask, SQLAlchemy,
 * Alembic and the rest from source again, about two thirds of each one's import. `uv sync --compile-bytecode` writes
 * it, as the image build does, but compiles every file each time it is asked (0.5-0.8 s here): so it runs only when
 * the installed packages differ from those it last compiled, named in a file inside the environment (a new
 * environment starts without one). Without PYTHONDONTWRITEBYTECODE, Python caches bytecode itself and this is moot.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Inside the environment, so that a deleted or recreated one starts without it. */
export const BYTECODE_RECORD = '.make-up-bytecode';

/** The installed distributions (`name-version.dist-info`), sorted; undefined when there is no site-packages. */
export function installedPackages(venvDir: string): string | undefined {
  const lib = join(venvDir, 'lib');
  if (!existsSync(lib)) return undefined;
  const python = readdirSync(lib).find((entry) => entry.startsWith('python'));
  const sitePackages = python && join(lib, python, 'site-packages');
  if (!sitePackages || !existsSync(sitePackages)) return undefined;
  return readdirSync(sitePackages)
    .filter((entry) => entry.endsWith('.dist-info'))
    .sort()
    .join('\n');
}

/** True when Python will not cache bytecode itself and the packages changed since the last compile. */
export function bytecodeNeeded(venvDir: string, env: NodeJS.ProcessEnv): boolean {
  if (!env.PYTHONDONTWRITEBYTECODE) return false;
  const installed = installedPackages(venvDir);
  if (installed === undefined) return false;
  const record = join(venvDir, BYTECODE_RECORD);
  return !existsSync(record) || readFileSync(record, 'utf8') !== installed;
}

/** Records the packages just compiled. */
export function recordBytecode(venvDir: string): void {
  const installed = installedPackages(venvDir);
  if (installed !== undefined) writeFileSync(join(venvDir, BYTECODE_RECORD), installed);
}
