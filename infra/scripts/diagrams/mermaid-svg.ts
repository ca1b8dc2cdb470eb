/**
 * Renders Mermaid sources to SVG with the pinned `mermaid` package's browser bundle inside Debian's Chromium
 * (playwright-core), offline. One browser serves every diagram. Deterministic ids make two runs on one machine
 * byte-identical; text is measured with the fonts the machine has, so another machine may lay out differently
 * (ADR 0154: the check compares sources, not SVG bytes).
 */
import { createRequire } from 'node:module';
import { chromiumLaunchOptions } from '@innovate/config/chromium';
import { chromium } from 'playwright-core';

const MERMAID_BUNDLE = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

/** Returns one SVG per source, in order; a source Mermaid cannot parse fails naming the diagram. */
export async function renderSvgs(sources: { name: string; source: string }[]): Promise<string[]> {
  if (sources.length === 0) return [];
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID_BUNDLE });
    const svgs: string[] = [];
    for (const { name, source } of sources) {
      const svg = await page
        .evaluate(
          async ({ id, text }) => {
            // biome-ignore lint/suspicious/noExplicitAny: the page's globals (DOM, the bundle) are not in infra's Node types.
            const page = globalThis as any;
            const mermaid = page.mermaid;
            mermaid.initialize({
              startOnLoad: false,
              securityLevel: 'strict',
              theme: 'default',
              deterministicIds: true,
              deterministicIDSeed: id,
              // Some shapes (cylinders, stadiums) draw their outlines with roughjs, random unless seeded.
              handDrawnSeed: 1,
              flowchart: { useMaxWidth: true },
            });
            const { svg } = await mermaid.render(id, text);
            // Mermaid returns HTML (labels hold <br>); serializing the parsed element gives XML an SVG file needs.
            const holder = page.document.createElement('div');
            holder.innerHTML = svg;
            return new page.XMLSerializer().serializeToString(holder.firstElementChild) as string;
          },
          { id: name, text: source },
        )
        .catch((error: Error) => {
          throw new Error(`architecture-diagram: Mermaid cannot render ${name}: ${error.message.split('\n')[0]}`);
        });
      svgs.push(svg);
    }
    return svgs;
  } finally {
    await browser.close();
  }
}
