/**
 * The edge on its own, for a developer who runs the API and PostgreSQL another way:
 *
 *   node --import tsx local/src/edge/cli.ts --api http://127.0.0.1:8000 [--static web/dist] [--port 8080]
 *
 * Bad arguments or a taken port: one line on stderr, exit 2.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEdgeServer, listen } from './server.ts';

function fail(message: string): never {
  process.stderr.write(`edge: ${message}\n`);
  process.exit(2);
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        api: { type: 'string' },
        static: { type: 'string', default: resolve(import.meta.dirname, '../../../web/dist') },
        port: { type: 'string', default: process.env.PORT ?? '8080' },
      },
      strict: true,
    });
    if (!values.api) fail('--api <origin> is required, e.g. --api http://127.0.0.1:8000');
    let api: URL;
    try {
      api = new URL(values.api);
    } catch {
      fail(`--api must be an http URL, got "${values.api}"`);
    }
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535)
      fail(`--port must be from 1 to 65535, got "${values.port}"`);
    return { api, staticDir: resolve(values.static), port };
  } catch (error) {
    fail((error as Error).message);
  }
}

const args = parse();
const server = createEdgeServer({
  staticDir: args.staticDir,
  apiOrigin: args.api,
  onAccessLog: (e) => process.stdout.write(`${e.method} ${e.path} ${e.status} ${e.durationMs.toFixed(1)}ms\n`),
});
try {
  const port = await listen(server, args.port);
  process.stdout.write(`http://127.0.0.1:${port}\n`);
} catch (error) {
  fail((error as Error).message);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.close(() => process.exit(0)));
