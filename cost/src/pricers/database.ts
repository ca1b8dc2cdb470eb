/**
 * RDS: instance hours by class and Multi-AZ, storage, Performance Insights beyond the free retention, RDS Proxy.
 * Backup storage beyond the free amount and the DR copies are usage lines (they depend on data size, not on the
 * template).
 */
import { type CostLine, priced } from '../lines.ts';
import type { CfnResource } from '../synth.ts';
import { booleanProp, numberProp, type Pricer, prop, referencedId, stringProp, UnpricedError } from './context.ts';

/** The instance a read replica copies, when it is in the same template. */
export function sourceInstance(resource: CfnResource, template: Record<string, CfnResource>): CfnResource | undefined {
  const id = referencedId(prop(resource, 'SourceDBInstanceIdentifier'));
  return id ? template[id] : undefined;
}

export const dbInstance: Pricer = ({ prices, owner, resource, template }) => {
  const engine = stringProp(resource, 'Engine') ?? 'postgres';
  if (engine !== 'postgres') throw new UnpricedError(`engine ${engine} is not priced (postgres only)`);
  const instanceClass = stringProp(resource, 'DBInstanceClass');
  if (!instanceClass) throw new UnpricedError('no literal DBInstanceClass');
  const multiAz = booleanProp(resource, 'MultiAZ') === true;
  const deployment = multiAz ? 'multi-az' : 'single-az';
  const hours = prices.hoursPerMonth;
  // A stopped instance bills only its storage: the instance hours follow the off-hours schedule, if the template has one.
  const running = runningShare(resource, template);
  const lines: CostLine[] = [
    priced(
      prices,
      owner,
      `${instanceClass} ${deployment}${running < 1 ? ` (runs ${Math.round(running * 100)}% of hours, off-hours schedule)` : ''}`,
      'fixed',
      `rds.postgres.${instanceClass}.${deployment}`,
      hours * running,
    ),
  ];
  // A read replica inherits its source's storage; CloudFormation then leaves AllocatedStorage unset on it.
  const source = sourceInstance(resource, template);
  const storageGiB = numberProp(resource, 'AllocatedStorage') ?? (source && numberProp(source, 'AllocatedStorage'));
  if (storageGiB === undefined) throw new UnpricedError('no AllocatedStorage on the instance or its source');
  const storageType = stringProp(resource, 'StorageType') ?? (source && stringProp(source, 'StorageType')) ?? 'gp2';
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

/**
 * Share of the week the instance runs under the EventBridge Scheduler schedules that start and stop it in the same
 * template (database-off-hours.ts): weekdays named by the start × hours from start to stop, over 168. 1 without both.
 */
export function runningShare(resource: CfnResource, template: Record<string, CfnResource>): number {
  const identifier = stringProp(resource, 'DBInstanceIdentifier');
  if (!identifier) return 1;
  const times: Record<string, { minutes: number; days: string } | undefined> = {};
  for (const candidate of Object.values(template)) {
    if (candidate.Type !== 'AWS::Scheduler::Schedule') continue;
    const target = prop(candidate, 'Target') as { Arn?: unknown; Input?: string } | undefined;
    const action = /rds:(start|stop)DBInstance/.exec(JSON.stringify(target?.Arn ?? ''))?.[1];
    if (!action || !target?.Input?.includes(`"${identifier}"`)) continue;
    const fields = /^cron\((\S+) (\S+) \S+ \S+ (\S+) \S+\)$/.exec(stringProp(candidate, 'ScheduleExpression') ?? '');
    if (!fields) continue;
    times[action] = { minutes: Number(fields[2]) * 60 + Number(fields[1]), days: fields[3] as string };
  }
  const { start, stop } = times;
  if (!start || !stop || stop.minutes <= start.minutes) return 1;
  const days = start.days === '*' || start.days === '?' ? 7 : start.days.split(',').length;
  return Math.min(1, (days * (stop.minutes - start.minutes)) / 60 / 168);
}
