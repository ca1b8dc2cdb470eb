/** The off-hours schedule, the commitments and the old-price warning, as the model prices and reports them. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitments } from '../src/commitments.ts';
import { runningShare } from '../src/pricers/database.ts';
import { priceAgeWarning } from '../src/report/summary.ts';
import { scheduleFigures } from '../src/schedule-scenarios.ts';
import { readSynth } from '../src/synth.ts';
import { wakeCommands } from '../src/wake.ts';
import { config, priceStacks, prices } from './helpers.ts';

const SYNTH = process.env.COST_SYNTH ?? join(import.meta.dirname, '..', '..', 'infra', 'cdk.out');
const stacks = existsSync(join(SYNTH, 'manifest.json')) ? readSynth(SYNTH) : [];

describe('off-hours: the database bills the hours the schedule in the template runs it', () => {
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
  it('dev: start the configured instance in its region, then wait until it is available', () => {
    const env = config.environment('dev');
    const commands = wakeCommands(env).map((c) => c.join(' '));
    const db = `--region ${env.region} --db-instance-identifier ${env.names.databaseInstanceIdentifier}`;
    expect(commands).toEqual([`aws rds start-db-instance ${db}`, `aws rds wait db-instance-available ${db}`]);
  });

  it('refuses an environment whose schedule is off, naming the field', () => {
    expect(() => wakeCommands(config.environment('prod'))).toThrow(/prod: costPolicy\.offHours\.enabled is false/);
  });
});
