/**
 * Runs the local OpenID provider in the foreground until SIGTERM/SIGINT:
 *
 *   node --import tsx local/src/oidc/cli.ts --users-file .local/oidc/users.json --spa-origin http://127.0.0.1:8080
 *     [--port 0] [--access-token-seconds 900]
 *
 * `--spa-origin` may be repeated. The users file is created (two users, generated passwords) when missing. Prints
 * `ISSUER=<url>` on its own line once the provider answers; the `make up` supervisor, the Python tests, the contract
 * run and the game days read that line. Bad arguments or a taken port: one line on stderr, exit 2.
 */
import { parseArgs } from 'node:util';
import { startOidcServer } from './provider.ts';
import { loadOrCreateUsers, UsersFileError } from './users.ts';

function fail(message: string): never {
  process.stderr.write(`oidc: ${message}\n`);
  process.exit(2);
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        'users-file': { type: 'string' },
        'spa-origin': { type: 'string', multiple: true, default: [] },
        port: { type: 'string', default: '0' },
        'access-token-seconds': { type: 'string', default: '900' },
      },
      strict: true,
    });
    const usersFile = values['users-file'];
    if (!usersFile) fail('--users-file is required');
    const port = Number(values.port);
    if (!Number.isInteger(port) || (port !== 0 && (port < 1024 || port > 65535))) {
      fail('--port must be 0 or an integer from 1024 to 65535');
    }
    const accessTokenSeconds = Number(values['access-token-seconds']);
    if (!Number.isInteger(accessTokenSeconds) || accessTokenSeconds < 5 || accessTokenSeconds > 86_400) {
      fail('--access-token-seconds must be an integer from 5 to 86400');
    }
    const spaOrigins = values['spa-origin'].map((raw) => {
      const url = URL.parse(raw);
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== raw.replace(/\/$/, '')) {
        fail(`--spa-origin must be an origin like http://127.0.0.1:8080, got "${raw}"`);
      }
      return url.origin;
    });
    if (spaOrigins.length === 0) fail('--spa-origin is required (the SPA origin that may receive the sign-in)');
    return { usersFile, port, accessTokenSeconds, spaOrigins };
  } catch (error) {
    fail((error as Error).message);
  }
}

const args = parse();
try {
  const users = loadOrCreateUsers(args.usersFile);
  const server = await startOidcServer({
    port: args.port,
    users,
    spaOrigins: args.spaOrigins,
    accessTokenSeconds: args.accessTokenSeconds,
    onLog: (line) => process.stderr.write(`oidc | ${line}\n`),
  });
  process.stdout.write(`ISSUER=${server.issuer}\n`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  if (error instanceof UsersFileError) fail(error.message);
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') fail(`port ${args.port} is in use`);
  throw error;
}
