/**
 * `make up`: the whole workload on this machine, the way it runs in AWS.
 *
 *   the local edge on PORT (default 8080): /api/* to the API, /config.json (the provider's issuer and the SPA's
 *     client id), the rest to the built SPA (`make dev`, `--dev`: to Vite's dev server, hot reload), CloudFront's
 *     headers
 *   → at once: embedded PostgreSQL (data in .local/, kept across restarts; skipped when DATABASE_URL is set), the
 *     local OpenID provider on a free loopback port (users in .local/oidc/users.json, created on first run), and
 *     `uv sync` of the API's environment (compiled to bytecode once after its packages change, where
 *     PYTHONDONTWRITEBYTECODE is set: python-bytecode.ts; with `--dev`, Vite too)
 *   → as soon as that environment is synced, both at once (the database's URL is known before PostgreSQL runs):
 *     `innovate-api serve` (gunicorn) on a free loopback port, verifying the provider's tokens, and
 *     `innovate-api migrate --wait-for-database`, which connects once PostgreSQL accepts. The API's /readyz answers
 *     200 only on a schema it runs on (schema_compat), and migrate's exit code is awaited as well, so nothing is
 *     announced on a database that is not migrated.
 *
 * It prints when each step finished, then the URL, then the development user's email and password, once /readyz
 * answers. The URL is on a line of its own. Ctrl-C or SIGTERM stops everything it started —
 * edge, API, the provider, then PostgreSQL (fast shutdown: committed data is kept) — and exits 0. Any failure: one line, exit 1.
 * Every child it starts is recorded in the data folder, so that what a supervisor killed outright left running is
 * stopped by the next one before it starts anything (`supervisor/leftovers.ts`).
 * It expects what `make up` installs first (node deps, uv, the built SPA).
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { toHttpHeaders } from '@innovate/config/security-headers';
import { allowDevServer } from './edge/dev-server.ts';
import { allowIdentityProvider, createEdgeServer, listen } from './edge/server.ts';
import { ObservabilitySettingsError, observabilityEnabled } from './observability/prometheus.ts';
import { SPA_CLIENT_ID } from './oidc/client.ts';
import { startOidcRunner } from './oidc/runner.ts';
import { DEVELOPER_EMAIL, loadOrCreateUsers, UsersFileError } from './oidc/users.ts';
import { localDatabaseUrl } from './postgres/local-url.ts';
import { startPostgresRunner } from './postgres/runner.ts';
import { bytecodeNeeded, recordBytecode } from './python-bytecode.ts';
import { type AnnouncingChild, ExitedBeforeReady } from './supervisor/announced-child.ts';
import { type Child, startChild } from './supervisor/child.ts';
import { CHILDREN_FILE, ChildRegistry } from './supervisor/child-registry.ts';
import { CLUSTER_DIR, claimDataDir, stopLeftovers } from './supervisor/leftovers.ts';
import { formatLine, prefixer } from './supervisor/log-lines.ts';
import { freePort } from './supervisor/ports.ts';
import { waitUntilReady } from './supervisor/readiness.ts';
import { readSettings, SettingsError } from './supervisor/settings.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const API_DIR = join(REPO_ROOT, 'api');
const WEB_DIR = join(REPO_ROOT, 'web');
const NAMES = ['up', 'postgres', 'oidc', 'migrate', 'api', 'vite', 'edge', 'prometheus'] as const;
type Name = (typeof NAMES)[number];

const prefix = prefixer(NAMES, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
const say = (name: Name, line: string) => process.stdout.write(`${prefix(name, line)}\n`);

/** Started processes, in start order; stopped in reverse. */
const children: Child[] = [];
let edge: Server | undefined;
let stopping = false;
let releaseDataDir = () => {};
let registry: ChildRegistry | undefined;

class StartError extends Error {}

/** When each step of the start finished, in seconds since the process started (printed once all is ready). */
const finished: string[] = [];
function finishedStep(step: string): void {
  finished.push(`${step} ${(performance.now() / 1000).toFixed(1)} s`);
}

function uvCommand(): string {
  const local = join(REPO_ROOT, '.tools', 'bin', 'uv');
  return existsSync(local) ? local : 'uv';
}

/** Adds a started child to the stop list and to the registry (until it exits). */
function track(child: Child, role: string): Child {
  children.push(child);
  registry?.record(role, child.pid);
  void child.exited.then(() => registry?.forget(child.pid));
  return child;
}

function spawnNamed(
  name: Name,
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  role: string = name,
): Child {
  const child = startChild({ name, command, args, cwd, env, onLine: (line) => say(name, formatLine(line)) });
  return track(child, role);
}

/**
 * Claims the data folder (refused while another `make up` uses it) and stops what an earlier one, killed outright,
 * left running there. Done with or without DATABASE_URL: the API and migrate are recorded in this folder either way.
 */
async function takeOverDataDir(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const claim = claimDataDir(dataDir);
  if ('otherPid' in claim) {
    throw new StartError(`another make up (pid ${claim.otherPid}) is using ${dataDir}; stop it or set LOCAL_DATA_DIR`);
  }
  releaseDataDir = claim.release;
  await stopLeftovers(dataDir, { say: (line) => say('up', line) }).catch((error: Error) => {
    throw new StartError(error.message);
  });
  registry = new ChildRegistry(join(dataDir, CHILDREN_FILE));
}

/** Records a runner's child and resolves with what it announced; its early exit becomes one line. */
async function announcedBy(runner: AnnouncingChild): Promise<string> {
  track(runner.child, runner.child.name);
  return runner.announced.catch((error: unknown) => {
    if (!(error instanceof ExitedBeforeReady)) throw error;
    throw new StartError(`${error.message} (see its output above)`);
  });
}

/** Starts the embedded PostgreSQL through the runner on `port` and resolves with its DATABASE_URL. */
async function startPostgres(dataDir: string, port: number): Promise<string> {
  const runner = startPostgresRunner({
    repoRoot: REPO_ROOT,
    clusterDir: join(dataDir, CLUSTER_DIR),
    port,
    onLine: (line) => say('postgres', line),
  });
  return announcedBy(runner);
}

/** Starts the local OpenID provider on `port` through its CLI and resolves with its issuer URL. */
function startOidcProvider(usersFile: string, port: number, spaOrigin: string): Promise<string> {
  const runner = startOidcRunner({
    repoRoot: REPO_ROOT,
    usersFile,
    port,
    spaOrigins: [spaOrigin],
    // The library warns about its in-memory store and Node 20 on every start: known, and not for this log.
    onLine: (line) => {
      if (!line.startsWith('oidc-provider WARNING')) say('oidc', line);
    },
  });
  return announcedBy(runner);
}

/** Runs a child that must finish (uv sync, migrate): resolves when it exited 0, and takes it off the stop list. */
async function runToEnd(child: Child, what: string): Promise<void> {
  const code = await child.exited;
  children.splice(children.indexOf(child), 1);
  if (code !== 0 && !stopping) throw new StartError(`${what} failed with exit code ${code} (see its output above)`);
}

/** `make dev`: Vite's dev server for the SPA on `origin`, resolved once it answers. */
async function startViteDevServer(origin: URL): Promise<void> {
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new StartError(`Vite is not installed (${vite} is missing): run make deps-node`);
  const args = [vite, '--host', origin.hostname, '--port', origin.port, '--strictPort', '--clearScreen', 'false'];
  const child = spawnNamed('vite', process.execPath, args, WEB_DIR, process.env);
  await waitUntilReady(origin.href, { timeoutMs: 60_000, stillWorthWaiting: child.running, intervalMs: 100 }).catch(
    (error: Error) => {
      throw new StartError(error.message);
    },
  );
  finishedStep('Vite');
}

async function main(): Promise<void> {
  const settings = readSettings(process.env, REPO_ROOT, process.argv.slice(2));
  const observability = observabilityEnabled(process.env);
  if (!settings.dev && !existsSync(join(settings.webDistDir, 'index.html'))) {
    throw new StartError(
      `the SPA is not built (${join(settings.webDistDir, 'index.html')} is missing): run make up, or make web-build`,
    );
  }

  // The edge binds first: a taken port fails in a second, before PostgreSQL or the API start.
  const apiPort = await freePort();
  const apiOrigin = new URL(`http://127.0.0.1:${apiPort}`);
  // The provider's port is chosen now: the edge's CSP and /config.json name its issuer.
  const oidcPort = await freePort();
  const issuer = `http://127.0.0.1:${oidcPort}`;
  const viteOrigin = settings.dev ? new URL(`http://127.0.0.1:${await freePort()}`) : undefined;
  const securityHeaders = allowIdentityProvider(toHttpHeaders(), issuer);
  const server = createEdgeServer({
    staticDir: settings.webDistDir,
    spaDevServer: viteOrigin,
    apiOrigin,
    securityHeaders: viteOrigin ? allowDevServer(securityHeaders) : securityHeaders,
    runtimeConfig: { auth: { issuer, clientId: SPA_CLIENT_ID } },
    onAccessLog: (entry) => {
      if (entry.path.startsWith('/api/') || entry.status >= 400) {
        say(
          'edge',
          `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs.toFixed(1)}ms${entry.requestId ? ` request_id=${entry.requestId}` : ''}`,
        );
      }
    },
  });
  const edgePort = await listen(server, settings.port).catch((error: Error) => {
    throw new StartError(error.message);
  });
  edge = server;
  await takeOverDataDir(settings.dataDir);
  finishedStep('edge');
  if (stopping) return;

  // PostgreSQL, the provider and the API's environment need nothing of one another: they start at once. Like the
  // provider's issuer, the database's URL is known before it runs (the port is chosen here), so the API can start
  // importing before PostgreSQL is up; it is not ready until the database is there and migrated.
  let database: Promise<unknown>;
  let databaseUrl: string;
  if (settings.databaseUrl) {
    say('up', 'DATABASE_URL is set: using that database, not starting the embedded PostgreSQL');
    databaseUrl = settings.databaseUrl;
    database = Promise.resolve();
  } else {
    say('up', `starting PostgreSQL with data in ${join(settings.dataDir, CLUSTER_DIR)}`);
    const port = await freePort();
    databaseUrl = localDatabaseUrl(port);
    database = startPostgres(settings.dataDir, port).then((announced) => {
      if (announced !== databaseUrl) throw new StartError(`PostgreSQL announced ${announced}, not ${databaseUrl}`);
      finishedStep('PostgreSQL');
    });
  }
  const usersFile = join(settings.dataDir, 'oidc', 'users.json');
  const developer = loadOrCreateUsers(usersFile).find((user) => user.email === DEVELOPER_EMAIL);
  say('up', 'starting the local OpenID provider');
  const provider = startOidcProvider(usersFile, oidcPort, `http://127.0.0.1:${edgePort}`).then((announced) => {
    if (announced !== issuer) throw new StartError(`the OpenID provider announced ${announced}, not ${issuer}`);
    finishedStep('OpenID provider');
  });
  const vite = viteOrigin ? startViteDevServer(viteOrigin) : Promise.resolve();
  // Awaited below, after the API has started; a failure meanwhile is reported there.
  const othersStarted = Promise.all([database, provider, vite]);
  othersStarted.catch(() => {});
  const apiEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_ISSUER: issuer,
    AUTH_CLIENT_ID: SPA_CLIENT_ID,
    API_BIND: `127.0.0.1:${apiPort}`,
    // No load balancer locally that needs time to notice a draining instance: stop at once on Ctrl-C.
    API_DRAIN_SECONDS: process.env.API_DRAIN_SECONDS ?? '0',
    // uv uses the machine's CPython and never downloads a toolchain (packages still come from the lock file's index).
    UV_PYTHON_DOWNLOADS: 'never',
  };
  const uv = uvCommand();
  // uv run would do this silently on first use; as its own step the wait (first run: a minute) is explained.
  say('up', "syncing the API's Python environment (uv sync --frozen)");
  const sync = spawnNamed('api', uv, ['sync', '--frozen', '--quiet'], API_DIR, apiEnv, 'uv sync');
  await runToEnd(sync, 'uv sync --frozen');
  if (stopping) return;
  const venvDir = process.env.UV_PROJECT_ENVIRONMENT
    ? resolve(API_DIR, process.env.UV_PROJECT_ENVIRONMENT)
    : join(API_DIR, '.venv');
  if (bytecodeNeeded(venvDir, process.env)) {
    say(
      'up',
      "compiling the API's packages to bytecode (once after they change, ~15 s; PYTHONDONTWRITEBYTECODE is set)",
    );
    const compile = spawnNamed(
      'api',
      uv,
      ['sync', '--frozen', '--quiet', '--compile-bytecode'],
      API_DIR,
      apiEnv,
      'uv sync',
    );
    await runToEnd(compile, 'uv sync --frozen --compile-bytecode');
    recordBytecode(venvDir);
  }
  finishedStep('uv sync');
  if (stopping) return;

  // The API and migrate start as soon as their environment is there, while PostgreSQL may still be starting: most
  // of either start is importing Python. The API's /readyz answers 503 until the database answers with a schema it
  // runs on; migrate retries connecting until PostgreSQL accepts (its wait covers initdb on a first start).
  const api = spawnNamed('api', uv, ['run', '--frozen', '--quiet', 'innovate-api', 'serve'], API_DIR, apiEnv);
  const apiReady = waitUntilReady(`${apiOrigin.href}readyz`, {
    timeoutMs: 60_000,
    stillWorthWaiting: api.running,
    intervalMs: 100,
  }).then(
    () => finishedStep('API ready'),
    (error: Error) => {
      throw new StartError(error.message);
    },
  );
  const migrateArgs = ['run', '--frozen', '--quiet', 'innovate-api', 'migrate', '--wait-for-database', '60'];
  const migrate = spawnNamed('migrate', uv, migrateArgs, API_DIR, apiEnv);
  const migrated = runToEnd(migrate, 'innovate-api migrate').then(() => finishedStep('migrate'));
  // The first failure is reported as it happens (PostgreSQL's or the provider's while migrate still waits, too).
  await Promise.all([othersStarted, migrated, apiReady]);
  if (stopping) return;

  if (observability) {
    // Imported only when asked for: it loads the deploy render (cdk8s) for the dashboards, seconds on every start.
    const { startObservability } = await import('./observability/start.ts');
    const where = await startObservability({
      apiTarget: apiOrigin.host,
      dataDir: settings.dataDir,
      spawn: (command, args) => spawnNamed('prometheus', command, args, REPO_ROOT, process.env),
      say: (line) => say('prometheus', line),
    }).catch((error: Error) => {
      throw new StartError(error.message);
    });
    say('up', `Prometheus (scraping the API, evaluating the AMP rules): ${where.prometheus}`);
    say('up', `dashboard panels (PNG, redrawn every minute): ${where.panels}`);
  }
  if (stopping) return;
  say('up', `started in ${(performance.now() / 1000).toFixed(1)} s (steps finished at: ${finished.join(', ')})`);
  say('up', 'ready: open the URL below and sign in as the development user (Ctrl-C stops everything)');
  process.stdout.write(`http://127.0.0.1:${edgePort}\n`);
  if (developer) process.stdout.write(`sign in: ${developer.email} / ${developer.password}\n`);

  // A child that dies on its own takes the whole system down: a half-running stack would only mislead.
  for (const child of children) {
    void child.exited.then((code) => {
      if (!stopping) {
        say('up', `${child.name} exited unexpectedly (code ${code}); stopping the rest`);
        void shutdown(1);
      }
    });
  }
}

/** Stops what was started, newest first and PostgreSQL last; then exits with `code`. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Nothing started yet (bad setting, taken port): the one-line error is all there is to say.
  if (!edge && children.length === 0) process.exit(code);
  say('up', 'stopping…');
  if (edge) {
    const server = edge;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeIdleConnections();
      setTimeout(() => {
        server.closeAllConnections();
        done();
      }, 2_000).unref();
    });
  }
  // Newest first, but PostgreSQL always last: it starts alongside the provider, and nothing may lose its database
  // while it still runs.
  const newestFirst = [...children].reverse();
  const stopOrder = [
    ...newestFirst.filter((child) => child.name !== 'postgres'),
    ...newestFirst.filter((child) => child.name === 'postgres'),
  ];
  for (const child of stopOrder) {
    if (!child.running()) continue;
    say('up', `stopping ${child.name}`);
    // The API's gunicorn drains in-flight requests on SIGTERM; the PostgreSQL runner does a fast shutdown on it.
    const exitCode = await child.stop({ signal: 'SIGTERM', group: false, graceMs: 40_000 });
    // Vite ends on SIGTERM by the signal itself (143): that is its normal stop.
    const normal = exitCode === 0 || (child.name === 'vite' && exitCode === 143);
    if (!normal) say('up', `${child.name} exited with code ${exitCode}`);
  }
  registry?.remove();
  releaseDataDir();
  say('up', 'stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// A closed terminal: the detached children would not get its SIGHUP, so stop them like on Ctrl-C.
process.on('SIGHUP', () => void shutdown(0));

main().catch((error: unknown) => {
  // Stopped by Ctrl-C while starting: what was waiting for the stopped children fails, and that is no news.
  if (stopping) return;
  const known = [StartError, SettingsError, ObservabilitySettingsError, UsersFileError].some(
    (kind) => error instanceof kind,
  );
  const message = known ? (error as Error).message : String(error);
  process.stderr.write(`make up: ${message}\n`);
  void shutdown(1);
});
