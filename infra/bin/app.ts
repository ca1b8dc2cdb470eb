/**
 * The CDK app: every workload environment of `config/` plus the organization foundations, checked by cdk-nag.
 * Run through the CLI (`make synth` → `cdk synth --no-lookups`), which feeds it cdk.json's context.
 */
import { ConfigError, loadPlatformConfig } from '@innovate/config';
import { App } from 'aws-cdk-lib';
import { addFoundationStacks } from '../lib/foundations/index.ts';
import { InfraConfigError } from '../lib/infra-config-error.ts';
import { addNagChecks } from '../lib/nag/nag-checks.ts';
import { promotionOf } from '../lib/promotion.ts';
import { addWorkloadStacks } from '../lib/workload-app.ts';

function main(): void {
  // INNOVATE_CONFIG_DIR points at another config folder (tests of bad input); the default is config/.
  const config = loadPlatformConfig(process.env.INNOVATE_CONFIG_DIR || undefined);
  const app = new App();
  for (const environment of config.environments) {
    addWorkloadStacks(app, config.organization, environment, promotionOf(config.environments, environment.name));
  }

  // ---- Organization foundations: the one call into lib/foundations. ----
  addFoundationStacks(app, config);

  addNagChecks(app);
  app.synth();
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof InfraConfigError) {
    process.stderr.write(`config: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
