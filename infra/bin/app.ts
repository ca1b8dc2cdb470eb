/**
 * The CDK app: every workload environment of `config/` plus the organization foundations, checked by cdk-nag.
 * Run through the CLI (`make synth` → `cdk synth --no-lookups`), which feeds it cdk.json's context.
 */
import { ConfigError, loadPlatformConfig } from '@innovate/config';
import { App } from 'aws-cdk-lib';
import { addFoundationStacks } from '../lib/foundations/index.ts';
import { addNagChecks } from '../lib/nag/nag-checks.ts';
import { addWorkloadStacks } from '../lib/workload-app.ts';

function main(): void {
  const config = loadPlatformConfig();
  const app = new App();
  for (const environment of config.environments) {
    addWorkloadStacks(app, config.organization, environment);
  }

  // ---- Organization foundations (issue 4): the one call into lib/foundations. ----
  addFoundationStacks(app, config);

  addNagChecks(app);
  app.synth();
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`config: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
