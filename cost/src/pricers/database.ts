/**
 * RDS: instance hours by class and Multi-AZ, storage, Performance Insights beyond the free retention, RDS Proxy.
 * Backup storage beyond the free amount and the DR copies are usage lines (they depend on data size, not on the
 * template).
 */
import { type CostLine, priced } from '../lines.ts';
import { booleanProp, numberProp, type Pricer, stringProp, UnpricedError } from './context.ts';

export const dbInstance: Pricer = ({ prices, owner, resource }) => {
  const engine = stringProp(resource, 'Engine') ?? 'postgres';
  if (engine !== 'postgres') throw new UnpricedError(`engine ${engine} is not priced (postgres only)`);
  const instanceClass = stringProp(resource, 'DBInstanceClass');
  if (!instanceClass) throw new UnpricedError('no literal DBInstanceClass');
  const multiAz = booleanProp(resource, 'MultiAZ') === true;
  const deployment = multiAz ? 'multi-az' : 'single-az';
  const hours = prices.hoursPerMonth;
  const lines: CostLine[] = [
    priced(
      prices,
      owner,
      `${instanceClass} ${deployment}`,
      'fixed',
      `rds.postgres.${instanceClass}.${deployment}`,
      hours,
    ),
  ];
  // A read replica inherits its source's storage size; CloudFormation then leaves AllocatedStorage unset.
  const storageGiB = numberProp(resource, 'AllocatedStorage');
  if (storageGiB !== undefined) {
    const storageType = stringProp(resource, 'StorageType') ?? 'gp2';
    lines.push(
      priced(
        prices,
        owner,
        `${storageGiB} GB ${storageType} storage (${deployment})`,
        'fixed',
        `rds.${storageType}.${deployment}.gb-month`,
        storageGiB,
      ),
    );
  }
  if (booleanProp(resource, 'EnablePerformanceInsights') === true) {
    const retention = numberProp(resource, 'PerformanceInsightsRetentionPeriod') ?? 7;
    if (retention > prices.allowance('rds.performance-insights.free-retention-days')) {
      const vcpus = prices.rdsVcpus(instanceClass);
      lines.push(
        priced(
          prices,
          owner,
          `Performance Insights ${retention} days (${vcpus} vCPU)`,
          'fixed',
          'rds.database-insights-advanced.vcpu-hour',
          vcpus * hours,
        ),
      );
    }
  }
  return lines;
};

/** RDS Proxy bills the vCPUs of the instances behind it (at least 2); we take every instance of its template. */
export const dbProxy: Pricer = ({ prices, owner, template }) => {
  const instances = Object.values(template).filter((r) => r.Type === 'AWS::RDS::DBInstance');
  const vcpus = instances.reduce((total, r) => total + prices.rdsVcpus(stringProp(r, 'DBInstanceClass') ?? ''), 0);
  const billed = Math.max(2, vcpus);
  return [
    priced(prices, owner, `RDS Proxy (${billed} vCPU)`, 'fixed', 'rds.proxy.vcpu-hour', billed * prices.hoursPerMonth),
  ];
};
