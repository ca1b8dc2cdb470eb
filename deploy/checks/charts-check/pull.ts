/**
 * Gets an add-on chart the way Helm users (and Argo CD) get it (ADR 0070): `helm pull` from the repository URL or
 * OCI registry and the version the add-on's Argo CD Application names (`ADDONS` in charts/addons.ts, which the render
 * writes into each Application: one source of truth). The pulled .tgz must have the sha256 that
 * deploy/charts.lock.json records for exactly that repository, chart and version; only then is it unpacked for the
 * value, schema, CEL and template checks. A mismatch is refused and the file removed from the cache.
 *
 * The lock is written by `make lock-deploy-charts` (a person, where the repositories are reachable, committing the
 * result for review): it records digests only for charts that have none, and never replaces a recorded one.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/layout.ts';

export const LOCK_FILE = join(REPO_ROOT, 'deploy', 'charts.lock.json');
/** Pulled and unpacked charts, git-ignored; safe to delete (everything in it is re-verified on use). */
export const CHARTS_CACHE = process.env.CHARTS_CACHE ?? join(REPO_ROOT, '.tools', 'charts');

export interface ChartRef {
  /** `https://…` chart repository, or an OCI registry path without scheme (Argo CD's form, e.g. public.ecr.aws/karpenter). */
  repoURL: string;
  chart: string;
  version: string;
}

export interface LockEntry extends ChartRef {
  /** sha256 of the chart's .tgz as `helm pull` saves it; null until `make lock-deploy-charts` records it. */
  sha256: string | null;
}

export interface ChartsLock {
  charts: LockEntry[];
}

/** The lock does not vouch for this chart (no entry, or no digest recorded yet). */
export class ChartLockError extends Error {
  override name = 'ChartLockError';
}
/** The pulled .tgz is not the one the lock records. */
export class ChartDigestError extends Error {
  override name = 'ChartDigestError';
}
/** `helm pull` could not reach the repository (DNS, connection, TLS, timeout): no chart was judged. */
export class ChartRepositoryUnreachableError extends Error {
  override name = 'ChartRepositoryUnreachableError';
}
export class ChartPullError extends Error {
  override name = 'ChartPullError';
}

const UNREACHABLE =
  /no such host|dial tcp|connection refused|i\/o timeout|network is unreachable|TLS handshake timeout|Client\.Timeout|cannot be reached/;

export const describeRef = (ref: ChartRef) => `${ref.chart}@${ref.version} from ${ref.repoURL}`;
const sameRef = (a: ChartRef, b: ChartRef) => a.repoURL === b.repoURL && a.chart === b.chart && a.version === b.version;
const isOci = (repoURL: string) => !/^https?:\/\//.test(repoURL);

export function readLock(file: string = LOCK_FILE): ChartsLock {
  const lock = JSON.parse(readFileSync(file, 'utf8')) as ChartsLock;
  if (!Array.isArray(lock.charts)) throw new ChartLockError(`${file}: charts: expected a list`);
  for (const [index, entry] of lock.charts.entries())
    if (entry.sha256 !== null && !/^[0-9a-f]{64}$/.test(String(entry.sha256)))
      throw new ChartLockError(`${file}: charts[${index}].sha256: expected 64 hex digits or null`);
  return lock;
}

/** Lock entries no add-on uses any more (a version bump leaves the old one behind): a stale lock is refused. */
export function staleLockEntries(lock: ChartsLock, refs: ChartRef[]): string[] {
  return lock.charts
    .filter((entry) => !refs.some((ref) => sameRef(ref, entry)))
    .map((entry) => `deploy/charts.lock.json: ${describeRef(entry)}: no add-on pins it (remove the entry)`);
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Checks a pulled .tgz against the lock and unpacks it; returns the chart's folder. Refuses a mismatch. */
export function verifyAndUnpack(tgz: string, ref: ChartRef, lock: ChartsLock, into: string): string {
  const entry = lock.charts.find((candidate) => sameRef(candidate, ref));
  if (!entry?.sha256)
    throw new ChartLockError(
      `${describeRef(ref)}: no digest in deploy/charts.lock.json (run make lock-deploy-charts where the repository is reachable, review and commit)`,
    );
  const actual = sha256File(tgz);
  if (actual !== entry.sha256) {
    rmSync(tgz, { force: true });
    throw new ChartDigestError(
      `${describeRef(ref)}: .tgz sha256 ${actual}, but deploy/charts.lock.json records ${entry.sha256}: refused`,
    );
  }
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'] });
  const chartDir = join(into, ref.chart);
  if (!existsSync(join(chartDir, 'Chart.yaml')))
    throw new ChartPullError(`${describeRef(ref)}: the .tgz holds no ${ref.chart}/Chart.yaml`);
  return chartDir;
}

/** `helm pull` of one chart into `dir`; returns the .tgz path. */
export function helmPull(ref: ChartRef, dir: string, helm = 'helm'): string {
  const args = isOci(ref.repoURL)
    ? ['pull', `oci://${ref.repoURL.replace(/\/$/, '')}/${ref.chart}`, '--version', ref.version, '-d', dir]
    : ['pull', ref.chart, '--repo', ref.repoURL, '--version', ref.version, '-d', dir];
  try {
    execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT')
      throw new ChartPullError('helm is not on PATH: run `make check-deploy-charts`, which builds it (deps-helm)');
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim();
    const line = stderr.split('\n').at(-1) ?? stderr;
    if (UNREACHABLE.test(stderr)) throw new ChartRepositoryUnreachableError(`helm pull ${describeRef(ref)}: ${line}`);
    throw new ChartPullError(`helm pull ${describeRef(ref)}: ${line}`);
  }
  const tgz = join(dir, `${ref.chart}-${ref.version}.tgz`);
  if (!existsSync(tgz)) throw new ChartPullError(`helm pull ${describeRef(ref)}: no ${ref.chart}-${ref.version}.tgz`);
  return tgz;
}

function cacheDir(ref: ChartRef, cache: string): string {
  return join(cache, ref.repoURL.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9.-]+/g, '_'), ref.chart, ref.version);
}

/** The pulled .tgz of `ref` in the cache, pulling it when absent. */
function cachedTgz(ref: ChartRef, cache: string, helm: string): string {
  const dir = cacheDir(ref, cache);
  const tgz = join(dir, `${ref.chart}-${ref.version}.tgz`);
  if (existsSync(tgz)) return tgz;
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, '.pull-'));
  try {
    renameSync(helmPull(ref, work, helm), tgz);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return tgz;
}

/** Pulls (or reuses), verifies against the lock and unpacks one chart; returns its folder. */
export function pullChart(ref: ChartRef, lock: ChartsLock, options: { cache?: string; helm?: string } = {}): string {
  const cache = options.cache ?? CHARTS_CACHE;
  const tgz = cachedTgz(ref, cache, options.helm ?? 'helm');
  return verifyAndUnpack(tgz, ref, lock, join(cacheDir(ref, cache), 'unpacked'));
}

/**
 * Records the digest of every chart the lock has none for (adding entries for new pins, dropping stale ones);
 * never changes a recorded digest. Returns what it recorded, one line each.
 */
export function lockCharts(refs: ChartRef[], options: { file?: string; cache?: string; helm?: string } = {}): string[] {
  const file = options.file ?? LOCK_FILE;
  const lock = existsSync(file) ? readLock(file) : { charts: [] };
  const recorded: string[] = [];
  const charts: LockEntry[] = refs.map((ref) => {
    const existing = lock.charts.find((entry) => sameRef(entry, ref));
    if (existing?.sha256) return existing;
    const sha256 = sha256File(cachedTgz(ref, options.cache ?? CHARTS_CACHE, options.helm ?? 'helm'));
    recorded.push(`${describeRef(ref)}: sha256 ${sha256}`);
    return { repoURL: ref.repoURL, chart: ref.chart, version: ref.version, sha256 };
  });
  writeFileSync(file, `${JSON.stringify({ ...lock, charts }, null, 2)}\n`);
  return recorded;
}
