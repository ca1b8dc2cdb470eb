/**
 * Runs a local PostgreSQL in the foreground until SIGTERM/SIGINT:
 *
 *   node --import tsx local/src/postgres/cli.ts --data-dir .local/postgres --port 5433 [--no-fsync] [--quiet]
 *     [--set name=value ...]   (more server settings, e.g. --set archive_mode=on)
 *
 * Run it as this single `node` process (not through `npx`, whose wrapper process would swallow the SIGTERM meant
 * for it and leave PostgreSQL running).
 *
 * Prints `DATABASE_URL=...` on its own line once the server accepts connections. Tests and the `make up`
 * supervisor read that line. Bad arguments or a taken port: one line on stderr, exit 2.
 */
import { parseArgs } from 'node:util';
import { PostgresStartError, startPostgres } from './server.ts';

function fail(message: string): never {
  process.stderr.write(`postgres: ${message}\n`);
  process.exit(2);
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        database: { type: 'string', default: 'innovate' },
        'no-fsync': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        set: { type: 'string', multiple: true, default: [] },
      },
      strict: true,
    });
    const dataDir = values['data-dir'];
    if (!dataDir) fail('--data-dir is required');
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1024 || port > 65535) fail('--port must be an integer from 1024 to 65535');
    const settings: Record<string, string> = {};
    for (const pair of values.set) {
      const match = /^([a-z_][a-z0-9_.]*)=(.*)$/.exec(pair);
      if (!match?.[1]) fail(`--set takes name=value (a PostgreSQL setting), got "${pair}"`);
      settings[match[1]] = match[2] ?? '';
    }
    return { dataDir, port, database: values.database, noFsync: values['no-fsync'], quiet: values.quiet, settings };
  } catch (error) {
    fail((error as Error).message);
  }
}

const args = parse();
try {
  const server = await startPostgres({
    dataDir: args.dataDir,
    port: args.port,
    database: args.database,
    noFsync: args.noFsync,
    settings: args.settings,
    onLog: args.quiet ? undefined : (line) => process.stderr.write(`postgres | ${line}\n`),
  });
  process.stdout.write(`DATABASE_URL=${server.url}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  if (error instanceof PostgresStartError) fail(error.message);
  throw error;
}
