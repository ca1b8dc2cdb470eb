/** The off-hours schedule, the commitments and the old-price warning, as the model prices and reports them. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitments } from '../src/commitments.ts';
import { runningShare } from '../src/pricers/database.ts';
import { computeDayShare, nodeSchedule } from '../src/pricers/node-schedule.ts';
import { priceAgeWarning } from '../src/report/summary.ts';
import { scheduleFigures } from '../src/schedule-scenarios.ts';
import { readSynth } from '../src/synth.ts';
import { wakeCommands } from '../src/wake.ts';
import { config, priceStacks, prices } from './helpers.ts';

const SYNTH = process.env.COST_SYNTH ?? join(import.meta.dirname, '..', '..', 'infra', 'cdk.out');
const stacks = existsSync(join(SYNTH, 'manifest.json')) ? readSynth(SYNTH) : [];

describe('off-hours: the database and the compute bill the hours the schedules in the templates run them', () => {
  it("dev's database runs the configured weekly hours (from the template's schedules)", () => {
    const data = stacks.find((s) => s.name === 'innovate-dev-data');
    const resources = data?.template.Resources ?? {};
    const instance = Object.values(resources).find((r) => r.Type === 'AWS::RDS::DBInstance');
    if (!instance) throw new Error('no dev database in the synth');
    const offHours = config.environment('dev').costPolicy.offHours;
    const hours = (t: string) => Number(t.slice(0, 2)) + Number(t.slice(3)) / 60;
    const expected = (offHours.workdays.length * (hours(offHours.stop) - hours(offHours.start))) / 168;
    expect(runningShare(instance, resources)).toBeCloseTo(expected, 6);
  });

  it("dev's system nodes and Karpenter baseline follow the node group's schedule in the cluster template", () => {
    const cluster = stacks.find((s) => s.name === 'innovate-dev-cluster');
    const resources = cluster?.template.Resources ?? {};
    const env = config.environment('dev');
    const offHours = env.costPolicy.offHours;
    const schedule = nodeSchedule(resources, `${env.names.clusterName}-system`);
    const hours = (t: string) => Number(t.slice(0, 2)) + Number(t.slice(3)) / 60;
    const dayShare = (offHours.workdays.length * (hours(offHours.stop) - hours(offHours.start))) / 168;
    expect(schedule).toEqual({
      dayShare: expect.closeTo(dayShare, 6),
      dayDesired: env.cluster.systemNodes.desiredSize,
      nightDesired: offHours.systemNodesAtNight,
    });
    expect(computeDayShare(Object.values(resources).map((resource) => ({ resource })))).toBeCloseTo(dayShare, 6);
    const lines = priceStacks(stacks, config).accounts.find((a) => a.account === 'dev')?.lines ?? [];
    const systemNodes = lines.find((l) => /by day, \d+ off-hours × t4g/.test(l.item));
    const nodeHour = prices.price(`ec2.on-demand.${env.cluster.systemNodes.instanceTypes[0]}`, 'us-east-1').usd;
    const average = env.cluster.systemNodes.desiredSize * dayShare + offHours.systemNodesAtNight * (1 - dayShare);
    expect(systemNodes?.monthlyUsd).toBeCloseTo(average * prices.hoursPerMonth * nodeHour, 6);
    const karpenter = lines.filter((l) => l.item.startsWith('Karpenter m7g'));
    const usage = env.usage.karpenter;
    const priceOf = (kind: string) => prices.price(`ec2.${kind}.${usage.instanceType}`, 'us-east-1').usd;
    const full =
      usage.baselineNodeHours * ((1 - usage.spotShare) * priceOf('on-demand') + usage.spotShare * priceOf('spot'));
    expect(karpenter.reduce((sum, l) => sum + l.monthlyUsd, 0)).toBeCloseTo(full * dayShare, 6);
  });

  it('a schedule with one half missing is no schedule (priced around the clock)', () => {
    const cluster = stacks.find((s) => s.name === 'innovate-dev-cluster');
    const resources = { ...(cluster?.template.Resources ?? {}) };
    const stop = Object.entries(resources).find(([, r]) => JSON.stringify(r).includes('"MinSize\\":1'));
    expect(stop).toBeDefined();
    delete resources[stop?.[0] as string];
    expect(nodeSchedule(resources, 'innovate-dev-system')).toBeUndefined();
  });

  it('each environment costs less with its schedule than around the clock, and config says which applies', () => {
    for (const row of scheduleFigures(stacks, config, prices)) {
      expect(row.withScheduleUsd).toBeLessThan(row.aroundTheClockUsd);
      const billed = priceStacks(stacks, config).accounts.find((a) => a.account === row.account)?.totalUsd;
      expect(billed).toBeCloseTo(row.scheduled ? row.withScheduleUsd : row.aroundTheClockUsd, 6);
    }
  });
});

describe('commitments: reported, with the month they pay off', () => {
  it('a 1-year commitment at discount d pays off in month ceil(12 × (1 − d)) and never raises the bill', () => {
    const figures = commitments(priceStacks(stacks, config), prices);
    expect(figures.computeBreakEvenMonth).toBe(Math.ceil(12 * (1 - figures.computeDiscount)));
    for (const row of figures.rows) expect(row.withCommitmentsUsd).toBeLessThanOrEqual(row.onDemandUsd);
    // dev's database is stopped most of the week: a reservation (billed every hour) would cost more than it saves.
    expect(figures.rows.find((r) => r.account === 'dev')?.reservationSavingUsd).toBeLessThan(0);
  });
});

describe('old prices: the report warns when the oldest price is more than 6 months old', () => {
  it('warns 18 months on, stays quiet at 6', () => {
    expect(priceAgeWarning('2025-06-01', new Date('2026-12-03T00:00:00Z'))).toMatch(/18 months before 2026-12-03/);
    expect(priceAgeWarning('2025-06-01', new Date('2025-12-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('make wake: the calls that start a scheduled environment, database first', () => {
  it('dev: the database, the system nodes at their day size, then the API through its wake-up Job', () => {
    const env = config.environment('dev');
    const commands = wakeCommands(env).map((c) => c.join(' '));
    const db = `--region ${env.region} --db-instance-identifier ${env.names.databaseInstanceIdentifier}`;
    const nodegroup = `--region ${env.region} --cluster-name ${env.names.clusterName} --nodegroup-name ${env.names.clusterName}-system`;
    const { minSize, desiredSize, maxSize } = env.cluster.systemNodes;
    expect(commands).toEqual([
      `aws rds start-db-instance ${db}`,
      `aws eks update-nodegroup-config ${nodegroup} --scaling-config minSize=${minSize},maxSize=${maxSize},desiredSize=${desiredSize}`,
      `aws rds wait db-instance-available ${db}`,
      `aws eks wait nodegroup-active ${nodegroup}`,
      `kubectl --namespace ${env.names.apiNamespace} create job --from=cronjob/api-off-hours-wake api-off-hours-wake-early`,
    ]);
  });

  it('refuses an environment whose schedule is off, naming the field', () => {
    expect(() => wakeCommands(config.environment('prod'))).toThrow(/prod: costPolicy\.offHours\.enabled is false/);
  });
});
