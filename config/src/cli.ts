/** `npm run show -w @innovate/config [-- <env>]`: print the resolved config, or a one-line error and exit 1. */
import { ConfigError, loadPlatformConfig } from './load.ts';

try {
  const config = loadPlatformConfig();
  const [name] = process.argv.slice(2);
  const shown = name
    ? config.environment(name)
    : { organization: config.organization, environments: config.environments };
  process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`config: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
