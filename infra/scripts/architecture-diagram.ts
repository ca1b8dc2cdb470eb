/**
 * Generates the diagrams of docs/architecture.md from config and the synthesized app (infra/cdk.out), so they cannot
 * drift from the code (ADR 0154): the stack graph, the request path and the organization. For each it writes the
 * Mermaid source (docs/diagrams/<name>.mmd), the SVG rendered from it in Chromium (docs/diagrams/<name>.svg, stamped
 * with the source's sha256) and its block in docs/architecture.md (the SVG, the source in a ```mermaid fence, tables).
 *
 *   tsx scripts/architecture-diagram.ts          rewrite the sources and blocks; re-render the SVGs whose source changed
 *   tsx scripts/architecture-diagram.ts --check  exit 1 (naming the fix) if a source, a block or an SVG's stamp is stale
 *
 * The check needs no browser: an SVG is current when its stamp names the current source (SVG bytes depend on the
 * machine's fonts, so they are not compared).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '@innovate/config';
import { INFRA_DIR } from '../lib/app-context.ts';
import { type Diagram, mermaidSource, replaceBlock, svgStamp } from './diagrams/diagram.ts';
import { renderSvgs } from './diagrams/mermaid-svg.ts';
import { organization } from './diagrams/organization.ts';
import { requestPath } from './diagrams/request-path.ts';
import { stackGraph } from './diagrams/stack-graph.ts';
import { SynthesizedApp } from './diagrams/synthesized-app.ts';

const REPO = join(INFRA_DIR, '..');
const DOC = join(REPO, 'docs', 'architecture.md');
const DIAGRAMS = join(REPO, 'docs', 'diagrams');
const shown = (path: string) => path.slice(REPO.length + 1);

function diagrams(): Diagram[] {
  const app = SynthesizedApp.load(join(INFRA_DIR, 'cdk.out'));
  const config = loadPlatformConfig();
  return [
    requestPath(app, config.environments, join(REPO, 'deploy', 'rendered')),
    organization(app, config),
    stackGraph(app),
  ];
}

const readOr = (path: string, fallback: string) => (existsSync(path) ? readFileSync(path, 'utf8') : fallback);

async function main(check: boolean): Promise<void> {
  const all = diagrams();
  const doc = readFileSync(DOC, 'utf8');
  const updated = all.reduce((text, diagram) => replaceBlock(text, diagram, shown(DOC)), doc);
  const stale: string[] = [];
  if (updated !== doc) stale.push(shown(DOC));
  const toRender: { diagram: Diagram; source: string }[] = [];
  for (const diagram of all) {
    const source = mermaidSource(diagram);
    const sourcePath = join(DIAGRAMS, `${diagram.name}.mmd`);
    const svgPath = join(DIAGRAMS, `${diagram.name}.svg`);
    if (readOr(sourcePath, '') !== source) stale.push(shown(sourcePath));
    if (!readOr(svgPath, '').startsWith(svgStamp(source))) {
      stale.push(shown(svgPath));
      toRender.push({ diagram, source });
    }
  }

  if (check) {
    if (stale.length > 0) {
      process.stderr.write(
        `architecture-diagram: stale against config and infra/cdk.out: ${stale.join(', ')}; run \`make infra-docs\` and commit them\n`,
      );
      process.exit(1);
    }
    process.stdout.write(`architecture-diagram: ${all.length} diagrams match config and infra/cdk.out\n`);
    return;
  }
  mkdirSync(DIAGRAMS, { recursive: true });
  writeFileSync(DOC, updated);
  for (const diagram of all) writeFileSync(join(DIAGRAMS, `${diagram.name}.mmd`), mermaidSource(diagram));
  const svgs = await renderSvgs(toRender.map(({ diagram, source }) => ({ name: diagram.name, source })));
  toRender.forEach(({ diagram, source }, index) => {
    writeFileSync(join(DIAGRAMS, `${diagram.name}.svg`), `${svgStamp(source)}\n${svgs[index]}\n`);
  });
  process.stdout.write(
    `architecture-diagram: ${all.length} diagrams written, ${toRender.length} SVG(s) rendered (${toRender.map((r) => r.diagram.name).join(', ') || 'none changed'})\n`,
  );
}

main(process.argv.includes('--check')).catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
