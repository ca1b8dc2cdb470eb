/** A dependency-free SVG line chart of the capacity model: monthly cost per environment against traffic (log x). */
import type { CapacityPoint } from '../capacity.ts';
import { usd } from './format.ts';

const COLOURS = ['#3b6ea5', '#e39b3b', '#5a9e4b', '#a54b8f'];

export function curveSvg(points: readonly CapacityPoint[]): string {
  const left = 80;
  const top = 40;
  const width = 560;
  const height = 300;
  const accounts = [...new Set(points.map((p) => p.account))];
  const xs = points.map((p) => Math.log10(p.multiple));
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const yMax = Math.max(1, ...points.map((p) => p.monthlyUsd));
  const x = (multiple: number) => left + ((Math.log10(multiple) - xMin) / (xMax - xMin)) * width;
  const y = (value: number) => top + height - (value / yMax) * height;
  const lines = accounts.map((account, index) => {
    const own = points.filter((p) => p.account === account).sort((a, b) => a.multiple - b.multiple);
    const colour = COLOURS[index % COLOURS.length];
    const path = own.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.multiple).toFixed(1)},${y(p.monthlyUsd).toFixed(1)}`);
    const dots = own.map(
      (p) =>
        `<circle cx="${x(p.multiple).toFixed(1)}" cy="${y(p.monthlyUsd).toFixed(1)}" r="3" fill="${colour}"><title>${account} ${p.multiple}×: ${p.apiRequestsPerSecond.toFixed(1)} API req/s, ${p.pods} pods, ${p.nodes} nodes, ${usd(p.monthlyUsd)}/month, ${usd(p.usdPerMillionRequests)} per million requests</title></circle>`,
    );
    const last = own.at(-1);
    const label = last
      ? `<text x="${(x(last.multiple) + 6).toFixed(1)}" y="${y(last.monthlyUsd).toFixed(1)}" fill="${colour}">${account}</text>`
      : '';
    return [`<path d="${path.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"/>`, ...dots, label].join(
      '\n  ',
    );
  });
  const ticks = [...new Set(points.map((p) => p.multiple))].map(
    (m) => `<text x="${x(m).toFixed(1)}" y="${top + height + 18}" text-anchor="middle">${m}×</text>`,
  );
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map(
    (share) =>
      `<text x="${left - 6}" y="${(y(yMax * share) + 4).toFixed(1)}" text-anchor="end">${usd(Math.round(yMax * share))}</text>`,
  );
  const w = left + width + 90;
  const h = top + height + 50;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">
  <title>Monthly cost against traffic</title>
  <text x="10" y="22" font-size="15" font-weight="bold">Monthly cost per environment against traffic (multiple of the assumed volume)</text>
  <line x1="${left}" y1="${top + height}" x2="${left + width}" y2="${top + height}" stroke="#888"/>
  <line x1="${left}" y1="${top}" x2="${left}" y2="${top + height}" stroke="#888"/>
  ${ticks.join('\n  ')}
  ${yTicks.join('\n  ')}
  ${lines.join('\n  ')}
</svg>
`;
}
