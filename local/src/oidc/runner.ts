/**
 * The local OpenID provider (`cli.ts`) as a child process of the supervisor or of a drill, resolved with the issuer
 * URL it prints once it answers.
 */
import { join } from 'node:path';
import { type AnnouncingChild, startAnnouncingChild } from '../supervisor/announced-child.ts';

export interface OidcRunnerOptions {
  repoRoot: string;
  usersFile: string;
  /** 0: the OS picks one. */
  port: number;
  /** Origins whose `/auth/callback` may receive a sign-in. */
  spaOrigins: readonly string[];
  accessTokenSeconds?: number;
  env?: NodeJS.ProcessEnv;
  /** Every output line but the ISSUER one, without the provider's `oidc | ` prefix. */
  onLine?: (line: string) => void;
}

export function startOidcRunner(options: OidcRunnerOptions): AnnouncingChild {
  const args = ['--import', 'tsx', join('local', 'src', 'oidc', 'cli.ts'), '--users-file', options.usersFile];
  args.push('--port', String(options.port));
  if (options.accessTokenSeconds !== undefined) args.push('--access-token-seconds', String(options.accessTokenSeconds));
  for (const origin of options.spaOrigins) args.push('--spa-origin', origin);
  return startAnnouncingChild({
    name: 'oidc',
    what: 'the OpenID provider',
    command: process.execPath,
    args,
    cwd: options.repoRoot,
    env: options.env ?? process.env,
    announcement: /^ISSUER=(\S+)$/,
    onLine: (line) => options.onLine?.(line.replace(/^oidc \| /, '')),
  });
}
