/**
 * The PostgreSQL runner (`cli.ts`) as a child process of the supervisor or of a drill: in its own process group, so
 * a drill can kill it the way a host dies, and resolved with the DATABASE_URL it prints once the server accepts
 * connections.
 */
import { join } from 'node:path';
import { type AnnouncingChild, startAnnouncingChild } from '../supervisor/announced-child.ts';

export interface PostgresRunnerOptions {
  repoRoot: string;
  /** The cluster folder (created with initdb when empty). */
  clusterDir: string;
  port: number;
  /** More server settings, e.g. WAL archiving. */
  settings?: Readonly<Record<string, string>>;
  env?: NodeJS.ProcessEnv;
  /** Every output line but the DATABASE_URL one, without the runner's `postgres | ` prefix. */
  onLine?: (line: string) => void;
}

export function startPostgresRunner(options: PostgresRunnerOptions): AnnouncingChild {
  const settings = Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['--set', `${name}=${value}`]);
  return startAnnouncingChild({
    name: 'postgres',
    what: 'PostgreSQL',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      join('local', 'src', 'postgres', 'cli.ts'),
      '--data-dir',
      options.clusterDir,
      '--port',
      String(options.port),
      ...settings,
    ],
    cwd: options.repoRoot,
    env: options.env ?? process.env,
    announcement: /^DATABASE_URL=(\S+)$/,
    onLine: (line) => options.onLine?.(line.replace(/^postgres \| /, '')),
  });
}
