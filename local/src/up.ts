/**
 * `make up`: the whole workload on this machine, the way it runs in AWS.
 *
 *   embedded PostgreSQL (data in .local/, kept across restarts; skipped when DATABASE_URL is set)
 *   → the local OpenID provider on a free loopback port (users in .local/oidc/users.json, created on first run)
 *   → `innovate-api migrate` → `innovate-api serve` (gunicorn) on a free loopback port, verifying its tokens
 *   → the local edge on PORT (default 8080): /api/* to the API, /config.json (the provider's issuer and the SPA's
 *     client id), the rest to the built SPA, CloudFront's headers
 *
 * It prints the URL, then the development user's email and password, once /readyz answers.
 * The URL is on a line of its own. Ctrl-C or SIGTERM stops everything it started —
 * edge, API, the provider, then PostgreSQL (fast shutdown: committed data is kept) — and exits 0. Any failure: one line, exit 1.
 * Every child it starts is recorded in the data folder, so that what a supervisor killed outright left running is
 * stopped by the next one before it starts anything (`supervisor/leftovers.ts`).
 * It expects what `make up` installs first (node deps, uv, the built SPA).
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { toHttpHeaders } from '@innovate/config/security-headers';
import { allowIdentityProvider, createEdgeServer, listen } from './edge/server.ts';
import { ObservabilitySettingsError, observabilityEnabled } from './observability/prometheus.ts';
import { startObservability } from './observability/start.ts';
import { SPA_CLIENT_ID } from './oidc/client.ts';
import { DEVELOPER_EMAIL, loadOrCreateUsers, UsersFileError } from './oidc/users.ts';
import { type Child, startChild } from './supervisor/child.ts';
import { CHILDREN_FILE, ChildRegistry } from './supervisor/child-registry.ts';
import { CLUSTER_DIR, claimDataDir, stopLeftovers } from './supervisor/leftovers.ts';
import { formatLine, prefixer } from './supervisor/log-lines.ts';
import { freePort } from './supervisor/ports.ts';
import { waitUntilReady } from './supervisor/readiness.ts';
import { readSettings, SettingsError } from './supervisor/settings.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const API_DIR = join(REPO_ROOT, 'api');
const NAMES = ['up', 'postgres', 'oidc', 'migrate', 'api', 'edge', 'prometheus'] as const;
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

/** Starts the embedded PostgreSQL through the runner and resolves with its DATABASE_URL. */
async function startPostgres(dataDir: string): Promise<string> {
  const port = await freePort();
  const clusterDir = join(dataDir, CLUSTER_DIR);
  let announce: (url: string) => void = () => {};
  const announced = new Promise<string>((done) => {
    announce = done;
  });
  const child = startChild({
    name: 'postgres',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      join('local', 'src', 'postgres', 'cli.ts'),
      '--data-dir',
      clusterDir,
      '--port',
      String(port),
    ],
    cwd: REPO_ROOT,
    env: process.env,
    onLine: (line) => {
      const match = /^DATABASE_URL=(\S+)$/.exec(line.trim());
      if (match?.[1]) announce(match[1]);
      else say('postgres', line.replace(/^postgres \| /, ''));
    },
  });
  track(child, 'postgres');
  const result = await Promise.race([
    announced,
    child.exited.then((code) => {
      throw new StartError(`PostgreSQL exited with code ${code} before it was ready (see its output above)`);
    }),
  ]);
  return result;
}

/** Starts the local OpenID provider on `port` through its CLI and resolves with its issuer URL. */
async function startOidcProvider(usersFile: string, port: number, spaOrigin: string): Promise<string> {
  let announce: (issuer: string) => void = () => {};
  const announced = new Promise<string>((done) => {
    announce = done;
  });
  const args = ['--import', 'tsx', join('local', 'src', 'oidc', 'cli.ts'), '--users-file', usersFile];
  args.push('--port', String(port), '--spa-origin', spaOrigin);
  const child = startChild({
    name: 'oidc',
    command: process.execPath,
    args,
    cwd: REPO_ROOT,
    env: process.env,
    onLine: (line) => {
      const match = /^ISSUER=(\S+)$/.exec(line.trim());
      // The library warns about its in-memory store and Node 20 on every start: known, and not for this log.
      if (match?.[1]) announce(match[1]);
      else if (!line.startsWith('oidc-provider WARNING')) say('oidc', line.replace(/^oidc \| /, ''));
    },
  });
  track(child, 'oidc');
  return Promise.race([
    announced,
    child.exited.then((code) => {
      throw new StartError(`the OpenID provider exited with code ${code} before it was ready (see its output above)`);
    }),
  ]);
}

async function main(): Promise<void> {
  const settings = readSettings(process.env, REPO_ROOT);
  const observability = observabilityEnabled(process.env);
  if (!existsSync(join(settings.webDistDir, 'index.html'))) {
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
  const server = createEdgeServer({
    staticDir: settings.webDistDir,
    apiOrigin,
    securityHeaders: allowIdentityProvider(toHttpHeaders(), issuer),
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
  if (stopping) return;

  let databaseUrl = settings.databaseUrl;
  if (databaseUrl) {
    say('up', 'DATABASE_URL is set: using that database, not starting the embedded PostgreSQL');
  } else {
    say('up', `starting PostgreSQL with data in ${join(settings.dataDir, CLUSTER_DIR)}`);
    databaseUrl = await startPostgres(settings.dataDir);
  }
  if (stopping) return;

  const usersFile = join(settings.dataDir, 'oidc', 'users.json');
  const developer = loadOrCreateUsers(usersFile).find((user) => user.email === DEVELOPER_EMAIL);
  say('up', 'starting the local OpenID provider');
  const announcedIssuer = await startOidcProvider(usersFile, oidcPort, `http://127.0.0.1:${edgePort}`);
  if (announcedIssuer !== issuer)
    throw new StartError(`the OpenID provider announced ${announcedIssuer}, not ${issuer}`);
  if (stopping) return;

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
  const synced = await sync.exited;
  children.splice(children.indexOf(sync), 1);
  if (synced !== 0) throw new StartError(`uv sync --frozen failed with exit code ${synced} (see its output above)`);
  if (stopping) return;

  const migrate = spawnNamed('migrate', uv, ['run', '--frozen', '--quiet', 'innovate-api', 'migrate'], API_DIR, apiEnv);
  const migrated = await migrate.exited;
  children.splice(children.indexOf(migrate), 1);
  if (migrated !== 0) throw new StartError(`innovate-api migrate failed with exit code ${migrated}`);
  if (stopping) return;

  const api = spawnNamed('api', uv, ['run', '--frozen', '--quiet', 'innovate-api', 'serve'], API_DIR, apiEnv);
  await waitUntilReady(`${apiOrigin.href}readyz`, { timeoutMs: 60_000, stillWorthWaiting: api.running }).catch(
    (error: Error) => {
      throw new StartError(error.message);
    },
  );
  if (stopping) return;

  if (observability) {
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

/** Stops what was started, newest first, so PostgreSQL stops last; then exits with `code`. */
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
  for (const child of [...children].reverse()) {
    if (!child.running()) continue;
    say('up', `stopping ${child.name}`);
    // The API's gunicorn drains in-flight requests on SIGTERM; the PostgreSQL runner does a fast shutdown on it.
    const exitCode = await child.stop({ signal: 'SIGTERM', group: false, graceMs: 40_000 });
    if (exitCode !== 0) say('up', `${child.name} exited with code ${exitCode}`);
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
  const known = [StartError, SettingsError, ObservabilitySettingsError, UsersFileError].some(
    (kind) => error instanceof kind,
  );
  const message = known ? (error as Error).message : String(error);
  process.stderr.write(`make up: ${message}\n`);
  void shutdown(1);
});
