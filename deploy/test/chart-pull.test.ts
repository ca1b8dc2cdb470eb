/**
 * Charts as Helm users get them (ADR 0070): `helm pull` from a chart repository, the .tgz checked against the lock
 * before anything reads it. Offline: the demo fixture is packaged with `helm package` and served from a loopback
 * chart repository (`helm repo index`), so the pull, the lock and a tampered chart are all real.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChart } from '../checks/charts-check/keys.ts';
import {
  ChartDigestError,
  ChartLockError,
  type ChartRef,
  ChartRepositoryUnreachableError,
  type ChartsLock,
  lockCharts,
  pullChart,
  readLock,
  sha256File,
  verifyAndUnpack,
} from '../checks/charts-check/pull.ts';

const work = mkdtempSync(join(tmpdir(), 'chart-pull-test-'));
const fixture = join(import.meta.dirname, 'fixtures', 'demo-chart');

/** `helm package` of the fixture (optionally edited first) into `dir`; returns the .tgz. */
function packageDemo(dir: string, edit?: (chartDir: string) => void): string {
  const copy = join(work, `src-${Math.random().toString(36).slice(2)}`, 'demo');
  cpSync(fixture, copy, { recursive: true });
  edit?.(copy);
  mkdirSync(dir, { recursive: true });
  execFileSync('helm', ['package', copy, '-d', dir], { stdio: 'ignore' });
  return join(dir, 'demo-1.2.3.tgz');
}

/**
 * A loopback chart repository serving `dir` (index.yaml + the .tgz). In a child process: `helm pull` runs
 * synchronously here, so a server on this process's event loop could never answer it.
 */
async function serve(dir: string): Promise<{ server: ChildProcess; url: string }> {
  const port = await new Promise<number>((done) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  execFileSync('helm', ['repo', 'index', dir, '--url', url], { stdio: 'ignore' });
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], {
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await fetch(`${url}/index.yaml`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { server, url };
    await new Promise((done) => setTimeout(done, 50));
  }
  server.kill();
  throw new Error(`the test chart repository did not start on ${url}`);
}

const genuineDir = join(work, 'repo-genuine');
const tamperedDir = join(work, 'repo-tampered');
let genuine: { server: ChildProcess; url: string };
let tampered: { server: ChildProcess; url: string };
let digest = '';
const ref = (url: string): ChartRef => ({ repoURL: url, chart: 'demo', version: '1.2.3' });
const lockFor = (url: string, sha256: string | null): ChartsLock => ({ charts: [{ ...ref(url), sha256 }] });

beforeAll(async () => {
  digest = sha256File(packageDemo(genuineDir));
  // Same name and version, one default changed: what a compromised or re-published chart would look like.
  packageDemo(tamperedDir, (dir) => {
    const values = join(dir, 'values.yaml');
    writeFileSync(values, `${readFileSync(values, 'utf8')}\nextraDefault: injected\n`);
  });
  genuine = await serve(genuineDir);
  tampered = await serve(tamperedDir);
});

afterAll(() => {
  genuine?.server.kill();
  tampered?.server.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('helm pull against the lock', () => {
  it('pulls the chart, verifies its digest and unpacks it', () => {
    const chartDir = pullChart(ref(genuine.url), lockFor(genuine.url, digest), { cache: join(work, 'cache-1') });
    expect(loadChart(chartDir)).toMatchObject({ name: 'demo', version: '1.2.3' });
  });

  it('refuses a tampered chart of the same name and version, on every pull', () => {
    const cache = join(work, 'cache-2');
    expect(() => pullChart(ref(tampered.url), lockFor(tampered.url, digest), { cache })).toThrow(ChartDigestError);
    expect(() => pullChart(ref(tampered.url), lockFor(tampered.url, digest), { cache })).toThrow(
      /demo@1\.2\.3 from http:\/\/127\.0\.0\.1:\d+: \.tgz sha256 [0-9a-f]{64}, but deploy\/charts\.lock\.json records/,
    );
  });

  it('refuses a cached .tgz altered after it was verified once', () => {
    const cache = join(work, 'cache-3');
    pullChart(ref(genuine.url), lockFor(genuine.url, digest), { cache });
    const tgz = execFileSync('find', [cache, '-name', 'demo-1.2.3.tgz'], { encoding: 'utf8' }).trim();
    writeFileSync(tgz, Buffer.concat([readFileSync(tgz), Buffer.from([0])]));
    expect(() => verifyAndUnpack(tgz, ref(genuine.url), lockFor(genuine.url, digest), join(work, 'x'))).toThrow(
      ChartDigestError,
    );
  });

  it('refuses a chart the lock has no digest for', () => {
    const cache = join(work, 'cache-4');
    expect(() => pullChart(ref(genuine.url), lockFor(genuine.url, null), { cache })).toThrow(ChartLockError);
    expect(() => pullChart(ref(genuine.url), { charts: [] }, { cache })).toThrow(/run make lock-deploy-charts/);
  });

  it('says the repository is unreachable (what make test skips on) rather than judging the chart', () => {
    const closed = 'http://127.0.0.1:9';
    expect(() => pullChart(ref(closed), lockFor(closed, digest), { cache: join(work, 'cache-5') })).toThrow(
      ChartRepositoryUnreachableError,
    );
  });

  it('lock-charts records a missing digest and never replaces a recorded one', () => {
    const file = join(work, 'charts.lock.json');
    writeFileSync(file, JSON.stringify({ about: 'test', charts: [] }));
    expect(lockCharts([ref(genuine.url)], { file, cache: join(work, 'cache-6') })).toHaveLength(1);
    expect(readLock(file).charts[0]?.sha256).toBe(digest);
    const recorded = 'f'.repeat(64);
    writeFileSync(file, JSON.stringify({ about: 'test', charts: [{ ...ref(genuine.url), sha256: recorded }] }));
    expect(lockCharts([ref(genuine.url)], { file, cache: join(work, 'cache-6') })).toEqual([]);
    expect(readLock(file).charts[0]?.sha256).toBe(recorded);
    expect(JSON.parse(readFileSync(file, 'utf8')).about).toBe('test');
  });
});
