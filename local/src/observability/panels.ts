/**
 * Static PNG panels of the generated dashboards, drawn from the local Prometheus. No Grafana-compatible viewer
 * installs from this machine's package registries (Debian has no Grafana package; npm and PyPI ship none), so the
 * Prometheus panels of the same dashboard models AMG gets (deploy/src/dashboards/) are drawn here as SVG line charts
 * with their threshold lines and turned into PNG by Debian's Chromium; an index.html shows them together.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { chromiumLaunchOptions } from '@innovate/config/chromium';

const run = promisify(execFile);
const WIDTH = 800;
const HEIGHT = 300;
const MARGIN = { left: 70, right: 20, top: 36, bottom: 60 };
const COLORS = ['#3274d9', '#e02f44', '#56a64b', '#ff9830', '#a352cc', '#8ab8ff', '#f2cc0c', '#73bf69'];

/** A Prometheus query of a panel (the SDK types targets as the generic `Dataquery`). */
interface PrometheusTarget {
  expr?: string;
  legendFormat?: string;
}

export interface Line {
  label: string;
  points: [number, number][];
}

/** `{{route}}` in a legend format filled from the series' labels, as Grafana does. */
export function legend(format: string | undefined, labels: Record<string, string>): string {
  if (!format) return JSON.stringify(labels);
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function formatValue(value: number, unit: string | undefined): string {
  if (unit === 'percentunit') return `${(value * 100).toPrecision(3)}%`;
  if (unit === 's') return value < 1 ? `${(value * 1000).toPrecision(3)} ms` : `${value.toPrecision(3)} s`;
  return Number(value.toPrecision(3)).toString();
}

/** An SVG line chart of `lines`, with a dashed red threshold line when the panel has one. */
export function lineChartSvg(title: string, lines: Line[], unit?: string, threshold?: number): string {
  const values = lines.flatMap((line) => line.points.map(([, v]) => v)).filter(Number.isFinite);
  const times = lines.flatMap((line) => line.points.map(([t]) => t));
  const low = Math.min(0, ...values, threshold ?? 0);
  const high = Math.max(...values, threshold ?? Number.NEGATIVE_INFINITY, low + 1e-9);
  const [start, end] = [Math.min(...times), Math.max(...times)];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + (end > start ? ((t - start) / (end - start)) * plotW : 0);
  const y = (v: number) => MARGIN.top + plotH - ((v - low) / (high - low)) * plotH;
  const time = (t: number) => new Date(t * 1000).toISOString().slice(11, 19);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="bold">${xmlText(title)}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#999"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#999"/>`,
    `<text x="${MARGIN.left - 6}" y="${MARGIN.top + 4}" text-anchor="end">${xmlText(formatValue(high, unit))}</text>`,
    `<text x="${MARGIN.left - 6}" y="${MARGIN.top + plotH}" text-anchor="end">${xmlText(formatValue(low, unit))}</text>`,
  ];
  if (times.length > 0) {
    parts.push(`<text x="${MARGIN.left}" y="${MARGIN.top + plotH + 16}">${time(start)} UTC</text>`);
    parts.push(`<text x="${MARGIN.left + plotW}" y="${MARGIN.top + plotH + 16}" text-anchor="end">${time(end)}</text>`);
  } else {
    parts.push(`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="#999">no data</text>`);
  }
  if (threshold !== undefined) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y(threshold)}" x2="${MARGIN.left + plotW}" y2="${y(threshold)}" stroke="#e02f44" stroke-dasharray="6 4"/>`,
    );
  }
  lines.forEach((line, index) => {
    const color = COLORS[index % COLORS.length];
    const points = line.points
      .filter(([, v]) => Number.isFinite(v))
      .map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`);
    if (points.length > 0) {
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(' ')}"/>`);
    }
    const legendX = MARGIN.left + (index % 4) * 180;
    const legendY = HEIGHT - 22 + Math.floor(index / 4) * 14;
    parts.push(`<rect x="${legendX}" y="${legendY - 9}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${legendX + 14}" y="${legendY}">${xmlText(line.label.slice(0, 24))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

interface RangeResult {
  status: string;
  data?: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  error?: string;
}

async function queryRange(prometheusUrl: string, expr: string, minutes: number): Promise<RangeResult> {
  const end = Math.floor(Date.now() / 1000);
  const url = new URL('/api/v1/query_range', prometheusUrl);
  url.search = new URLSearchParams({
    query: expr,
    start: String(end - minutes * 60),
    end: String(end),
    step: '15',
  }).toString();
  const response = await fetch(url);
  return (await response.json()) as RangeResult;
}

function threshold(panel: Panel): number | undefined {
  const value = panel.fieldConfig?.defaults?.thresholds?.steps?.[1]?.value;
  return typeof value === 'number' ? value : undefined;
}

export interface RenderedPanels {
  files: string[];
  /** Prometheus panels whose queries returned no series (e.g. cAdvisor or Karpenter series, absent locally). */
  empty: string[];
}

/** Draws every Prometheus panel of `dashboards` over the last `minutes`; PNG when Chromium is there, else SVG. */
export async function renderPanels(
  prometheusUrl: string,
  dashboards: Dashboard[],
  outDir: string,
  minutes = 30,
): Promise<RenderedPanels> {
  mkdirSync(outDir, { recursive: true });
  const result: RenderedPanels = { files: [], empty: [] };
  for (const dashboard of dashboards) {
    for (const [index, item] of (dashboard.panels ?? []).entries()) {
      const panel = item as Panel;
      if (panel.type !== 'timeseries' || panel.datasource?.type !== 'prometheus') continue;
      const name = `${dashboard.uid}-${String(index).padStart(2, '0')}`;
      const lines: Line[] = [];
      for (const target of (panel.targets ?? []) as PrometheusTarget[]) {
        if (!target.expr) continue;
        const answer = await queryRange(prometheusUrl, target.expr, minutes);
        for (const series of answer.data?.result ?? []) {
          lines.push({
            label: legend(target.legendFormat, series.metric),
            points: series.values.map(([t, v]) => [t, Number(v)]),
          });
        }
      }
      const title = `${dashboard.title}: ${panel.title ?? ''}`;
      if (lines.length === 0) result.empty.push(title);
      const svg = join(outDir, `${name}.svg`);
      writeFileSync(svg, lineChartSvg(title, lines, panel.fieldConfig?.defaults?.unit, threshold(panel)));
      result.files.push(await toPng(svg, join(outDir, `${name}.png`)));
    }
  }
  const images = result.files.map((file) => `<p><img src="${file.split('/').pop()}" alt=""></p>`).join('\n');
  writeFileSync(
    join(outDir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="60"><title>Local panels</title>\n${images}\n`,
  );
  return result;
}

/** The SVG as PNG through headless Chromium; the SVG itself when Chromium is missing or fails. */
async function toPng(svg: string, png: string): Promise<string> {
  const { executablePath, args } = chromiumLaunchOptions();
  if (!existsSync(executablePath)) return svg;
  try {
    await run(
      executablePath,
      [...args, '--hide-scrollbars', `--window-size=${WIDTH},${HEIGHT}`, `--screenshot=${png}`, `file://${svg}`],
      { timeout: 30_000 },
    );
    return png;
  } catch {
    return svg;
  }
}
