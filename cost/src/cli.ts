/**
 * `npm run cost -w @innovate/cost -- <command>` (what `make cost` calls):
 *   report    [--synth DIR] [--out DIR] [--detail] [--traffic 10x,100x|50rps]
 *                                                per-account table, biggest levers, reasons, traffic answers, unpriced
 *                                                (--detail: every line by construct path); writes report.md /
 *                                                report.json / chart.svg / capacity.svg
 *   compare   --base DIR --head DIR [--out DIR]  difference per line between two synth outputs (PR comment)
 *   questions [--synth DIR]                      per-account totals, naive-vs-chosen saving, endpoint/NAT break-even
 *   estimates [--synth DIR] --write | --check    cost/estimates.json (the budgets read it) + docs/cost.md figures
 *   prices    --offer FILE[,FILE...]             refresh prices/aws-prices.yaml from AWS Price List bulk offer files
 *   wake      --env NAME [--run]                 the AWS CLI calls that wake a scheduled environment (--run: run them)
 * Bad input ends with one line naming the problem and exit code 1.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadPlatformConfig } from '@innovate/config';
import { AccountError } from './accounts.ts';
import { CapacityError, CURVE_MULTIPLES, capacityInputs, capacityPoint, parseTraffic } from './capacity.ts';
import { commitments } from './commitments.ts';
import { compare, comparisonMarkdown } from './compare.ts';
import { checkEstimates, ESTIMATES_FILE, estimatesFile, writeEstimates } from './estimates.ts';
import { COST_DOC, checkFigures, FiguresDriftError, figuresMarkdown, writeFigures } from './figures.ts';
import { type Estimate, estimate } from './model.ts';
import { type OfferFile, refreshPriceTable } from './offer-file.ts';
import { DEFAULT_PRICE_FILE, loadPriceTable, PriceError } from './price-table.ts';
import { curveSvg } from './report/curve-svg.ts';
import { usd } from './report/format.ts';
import { jsonReport } from './report/json.ts';
import { byStack, markdownReport } from './report/markdown.ts';
import { levers, summaryLines } from './report/summary.ts';
import { svgChart } from './report/svg.ts';
import { naiveVsChosen } from './scenarios.ts';
import { scheduleFigures } from './schedule-scenarios.ts';
import { readSynth, SynthError } from './synth.ts';
import { WakeError, wake } from './wake.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const DEFAULT_SYNTH = join(REPO_ROOT, 'infra', 'cdk.out');
const DEFAULT_OUT = join(REPO_ROOT, '.cost');

class UsageError extends Error {}

function options(args: string[]): Map<string, string | true> {
  const map = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      map.set(arg.slice(2), next);
      i++;
    } else map.set(arg.slice(2), true);
  }
  return map;
}

function path(opts: Map<string, string | true>, name: string, fallback?: string): string {
  const value = opts.get(name) ?? fallback;
  if (typeof value !== 'string') throw new UsageError(`--${name} <dir> is required`);
  return resolve(value);
}

function printLines(result: Estimate): void {
  for (const account of result.accounts) {
    console.log(`${account.account} ${usd(account.totalUsd)}`);
    for (const stack of byStack(account.lines)) {
      console.log(`    ${stack.stack.padEnd(44)} ${stack.region.padEnd(10)} ${usd(stack.usd).padStart(12)}`);
      const lines = account.lines
        .filter((line) => line.stack === stack.stack && line.region === stack.region && line.monthlyUsd >= 0.005)
        .sort((a, b) => b.monthlyUsd - a.monthlyUsd);
      for (const line of lines) {
        const what = `${line.path ?? (line.logicalId === '-' ? line.type : line.logicalId)}: ${line.item}`;
        console.log(`        ${what.padEnd(90)} ${usd(line.monthlyUsd).padStart(12)}`);
      }
    }
  }
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  const opts = options(rest);
  const config = loadPlatformConfig();
  const prices = loadPriceTable();
  switch (command) {
    case 'report': {
      const stacks = readSynth(path(opts, 'synth', DEFAULT_SYNTH));
      const result = estimate(stacks, config, prices);
      const schedule = scheduleFigures(stacks, config, prices);
      const commitmentFigures = commitments(result, prices);
      const inputs = capacityInputs(config);
      const traffic = opts.get('traffic');
      const curve = config.environments.flatMap((env) =>
        CURVE_MULTIPLES.map((m) => capacityPoint(stacks, config, prices, inputs, env.name, m)),
      );
      const answers = config.environments.flatMap((env) =>
        (typeof traffic === 'string' ? parseTraffic(traffic, env, prices.hoursPerMonth) : [1, 10, 100]).map(
          (m) =>
            curve.find((p) => p.account === env.name && p.multiple === m) ??
            capacityPoint(stacks, config, prices, inputs, env.name, m),
        ),
      );
      const out = path(opts, 'out', DEFAULT_OUT);
      mkdirSync(out, { recursive: true });
      const summary = summaryLines({
        result,
        config,
        levers: levers(naiveVsChosen(stacks, config, prices), schedule, commitmentFigures),
        schedule,
        commitments: commitmentFigures,
        capacity: answers,
        today: new Date(),
      });
      writeFileSync(join(out, 'report.md'), markdownReport(result, { summary, curve }));
      writeFileSync(join(out, 'report.json'), jsonReport(result));
      writeFileSync(join(out, 'chart.svg'), svgChart(result));
      writeFileSync(join(out, 'capacity.svg'), curveSvg(curve));
      if (opts.has('detail')) printLines(result);
      for (const line of summary) console.log(line);
      console.log(
        `line items: make cost DETAIL=1, or ${join(out, 'report.md')} (also report.json, chart.svg, capacity.svg)`,
      );
      return;
    }
    case 'compare': {
      const before = estimate(readSynth(path(opts, 'base')), config, prices);
      const after = estimate(readSynth(path(opts, 'head')), config, prices);
      const text = comparisonMarkdown(compare(before, after));
      const out = path(opts, 'out', DEFAULT_OUT);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'compare.md'), text);
      console.log(text);
      return;
    }
    case 'questions': {
      console.log(figuresMarkdown(readSynth(path(opts, 'synth', DEFAULT_SYNTH)), config, prices));
      return;
    }
    case 'estimates': {
      const stacks = readSynth(path(opts, 'synth', DEFAULT_SYNTH));
      const file = estimatesFile(estimate(stacks, config, prices));
      const figures = figuresMarkdown(stacks, config, prices);
      if (opts.has('write')) {
        writeEstimates(file);
        writeFigures(figures);
        console.log(`wrote ${ESTIMATES_FILE} and the figures of ${COST_DOC}`);
      } else if (opts.has('check')) {
        checkEstimates(file);
        checkFigures(figures);
        console.log(`${ESTIMATES_FILE} and the figures of ${COST_DOC} match a fresh computation`);
      } else throw new UsageError('estimates needs --write or --check');
      return;
    }
    case 'prices': {
      const files = opts.get('offer');
      if (typeof files !== 'string') throw new UsageError('prices needs --offer <offer file>[,<offer file>...]');
      const offers = files.split(',').map((file) => JSON.parse(readFileSync(resolve(file), 'utf8')) as OfferFile);
      const { text, updated, partial } = refreshPriceTable(readFileSync(DEFAULT_PRICE_FILE, 'utf8'), offers);
      writeFileSync(DEFAULT_PRICE_FILE, text);
      loadPriceTable(); // the refreshed table must still load
      console.log(`updated ${updated.length} prices: ${updated.join(', ') || '(none)'}`);
      if (partial.length > 0)
        console.log(`not updated (an offer file per missing region is needed): ${partial.join(', ')}`);
      return;
    }
    case 'wake': {
      const name = opts.get('env');
      if (typeof name !== 'string') throw new UsageError('wake needs --env <dev|staging|prod>');
      wake(config.environment(name), opts.has('run'));
      return;
    }
    default:
      throw new UsageError(
        `unknown command "${command ?? ''}" (report | compare | questions | estimates | prices | wake)`,
      );
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  const known = [
    UsageError,
    ConfigError,
    PriceError,
    SynthError,
    AccountError,
    FiguresDriftError,
    CapacityError,
    WakeError,
  ];
  if (known.some((kind) => error instanceof kind) || (error as Error).name === 'EstimatesDriftError') {
    console.error(`cost: ${(error as Error).message}`);
    process.exit(1);
  }
  throw error;
}
