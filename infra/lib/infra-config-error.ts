/**
 * A configuration value the CDK app cannot build from (valid for the schema, unknown to this library version), e.g.
 * a Kubernetes version without a kubectl layer. `bin/app.ts` prints it as one line naming the field and exits 1.
 */
export class InfraConfigError extends Error {
  override name = 'InfraConfigError';
}
