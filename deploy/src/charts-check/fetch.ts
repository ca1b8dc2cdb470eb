/**
 * Fetches a chart's source through the Go module proxy into a git-ignored cache (ADR 0070). `go mod download`
 * verifies the module zip against the Go checksum database before it lands in the cache; every setting that
 * would skip that check (GOSUMDB=off, GONOSUMDB, GONOSUMCHECK, GOPRIVATE, GOINSECURE, GOFLAGS=-insecure) is
 * cleared for this gate, whatever the machine sets. The proxy is the machine's GOPROXY, as for OPA and Helm.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../layout.ts';
import type { ChartSource } from './sources.ts';

export const CHART_SOURCES_CACHE = process.env.CHART_SOURCES_CACHE ?? join(REPO_ROOT, '.tools', 'chart-sources');

export class ChartFetchError extends Error {
  override name = 'ChartFetchError';
}

/** The module cache's folder name of a module path (`!` + lower case for capitals). */
function escapePath(modulePath: string): string {
  return modulePath.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
}

/** Folder of the chart inside the (verified) module cache; downloads the module on first use. */
export function fetchChartSource(source: ChartSource, cache: string = CHART_SOURCES_CACHE): string {
  const modcache = join(cache, 'mod');
  const moduleDir = join(modcache, `${escapePath(source.module)}@${source.version}`);
  const chartDir = join(moduleDir, source.path);
  if (existsSync(join(chartDir, 'Chart.yaml'))) return chartDir;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOMODCACHE: modcache,
    GOPATH: join(cache, 'gopath'),
    // -modcacherw: the cache stays deletable (`rm -rf .tools`) and copies of a chart stay writable.
    GOFLAGS: '-mod=mod -modcacherw',
    GONOSUMDB: '',
    GONOSUMCHECK: '',
    GOPRIVATE: '',
    GOINSECURE: '',
    // A module whose go.mod asks for a newer Go than the machine's is still downloaded and verified; `go` then
    // reports that as an error, which is irrelevant here (nothing is built) and tolerated below.
    GOTOOLCHAIN: 'local',
  };
  // Unset means Go's default checksum database; only an explicit `off` is refused here.
  if (env.GOSUMDB === 'off') delete env.GOSUMDB;
  let output = '';
  try {
    output = execFileSync('go', ['mod', 'download', '-json', `${source.module}@${source.version}`], {
      cwd: tmpdir(),
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '');
    if (!output)
      throw new ChartFetchError(`go mod download ${source.module}@${source.version}: ${(error as Error).message}`);
  }
  const result = JSON.parse(output) as { Error?: string; Sum?: string; Zip?: string };
  const onlyToolchain = result.Error !== undefined && /requires go >= /.test(result.Error);
  if ((result.Error && !onlyToolchain) || !result.Sum) {
    throw new ChartFetchError(`go mod download ${source.module}@${source.version}: ${result.Error ?? 'no checksum'}`);
  }
  if (!existsSync(join(chartDir, 'Chart.yaml')))
    throw new ChartFetchError(`${source.module}@${source.version}: no chart at ${source.path}`);
  return chartDir;
}
