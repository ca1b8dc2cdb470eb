/** A dependency-free SVG bar chart: one bar per account, fixed and usage stacked. */
import type { Estimate } from '../model.ts';
import { usd } from './format.ts';

export function svgChart(estimate: Estimate): string {
  const barHeight = 28;
  const gap = 14;
  const labelWidth = 110;
  const chartWidth = 560;
  const top = 40;
  const max = Math.max(1, ...estimate.accounts.map((a) => a.totalUsd));
  const height = top + estimate.accounts.length * (barHeight + gap) + 30;
  const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = estimate.accounts.map((account, index) => {
    const y = top + index * (barHeight + gap);
    const fixedWidth = (account.fixedUsd / max) * chartWidth;
    const usageWidth = (account.usageUsd / max) * chartWidth;
    return [
      `<text x="${labelWidth - 8}" y="${y + barHeight * 0.68}" text-anchor="end">${escapeXml(account.account)}</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${fixedWidth.toFixed(1)}" height="${barHeight}" fill="#3b6ea5"><title>fixed ${usd(account.fixedUsd)}</title></rect>`,
      `<rect x="${(labelWidth + fixedWidth).toFixed(1)}" y="${y}" width="${usageWidth.toFixed(1)}" height="${barHeight}" fill="#e39b3b"><title>usage ${usd(account.usageUsd)}</title></rect>`,
      `<text x="${(labelWidth + fixedWidth + usageWidth + 6).toFixed(1)}" y="${y + barHeight * 0.68}">${usd(account.totalUsd)}</text>`,
    ].join('\n  ');
  });
  const width = labelWidth + chartWidth + 120;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">
  <title>Estimated monthly cost per account</title>
  <text x="10" y="22" font-size="15" font-weight="bold">Estimated monthly cost per account (total ${usd(estimate.totalUsd)})</text>
  <rect x="${labelWidth + chartWidth - 150}" y="8" width="12" height="12" fill="#3b6ea5"/><text x="${labelWidth + chartWidth - 134}" y="19">fixed</text>
  <rect x="${labelWidth + chartWidth - 80}" y="8" width="12" height="12" fill="#e39b3b"/><text x="${labelWidth + chartWidth - 64}" y="19">usage</text>
  ${rows.join('\n  ')}
</svg>
`;
}
