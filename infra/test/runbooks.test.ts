/**
 * Keeps the runbooks honest where that is cheap: the index and the pages agree, every page has the sections the index
 * promises, every `make gameday DRILL=<name>` in the docs names a drill that exists (the list the game-day CLI itself
 * accepts), every drill has a runbook that says it exercises it, and two known-wrong instructions do not come back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRILL_NAMES } from '../../gameday/src/drill.ts';
import { INFRA_DIR } from '../lib/app-context.ts';

const ROOT = resolve(INFRA_DIR, '..');
const RUNBOOKS = join(ROOT, 'docs', 'runbooks');
const readme = readFileSync(join(RUNBOOKS, 'README.md'), 'utf8');
const pages = readdirSync(RUNBOOKS).filter((file) => file.endsWith('.md') && file !== 'README.md');
const read = (page: string) => readFileSync(join(RUNBOOKS, page), 'utf8');

/** Every Markdown file of the documentation: docs/ recursively and the repository's README. */
function docFiles(dir = join(ROOT, 'docs')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? docFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
  );
}
const docs = [...docFiles(), join(ROOT, 'README.md')].map((path) => ({
  path: path.slice(ROOT.length + 1),
  text: readFileSync(path, 'utf8'),
}));

describe('runbooks: the index and the pages agree', () => {
  const listed = [...readme.matchAll(/^\| \[([^\]]+\.md)\]\(([^)]+)\) \|/gm)].map((m) => m[2] as string);

  it('every page in the index table exists, and every page is in the table', () => {
    expect(listed.length).toBeGreaterThan(0);
    for (const page of listed) expect(pages, `${page} is listed but missing`).toContain(page);
    for (const page of pages) expect(listed, `${page} is not in README.md's table`).toContain(page);
  });

  it.each(pages)('%s has Meaning, Impact, Diagnosis, Mitigation and Escalation', (page) => {
    const headings = [...read(page).matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    for (const section of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation']) {
      expect(headings, `${page}: ## ${section}`).toContain(section);
    }
  });
});

describe('runbooks: drills named in the docs exist', () => {
  it('every `make gameday DRILL=<name>` names a drill of gameday/src/drill.ts', () => {
    const named = docs.flatMap(({ path, text }) =>
      [...text.matchAll(/make gameday DRILL=([^\s`'"]+)/g)].map((m) => ({ path, name: m[1] as string })),
    );
    expect(named.length).toBeGreaterThan(0);
    for (const { path, name } of named) {
      if (name === '<name>') continue; // the placeholder in prose
      expect(DRILL_NAMES as readonly string[], `${path}: DRILL=${name}`).toContain(name);
    }
  });

  it('every drill is exercised by a runbook that says so, and is in game-days.md', () => {
    const exercised = new Set(
      pages.flatMap((page) =>
        // The paragraph that starts with "Exercised by:" (it may wrap over several lines).
        read(page)
          .split(/\n\n/)
          .filter((paragraph) => paragraph.startsWith('Exercised by: '))
          .flatMap((paragraph) => [...paragraph.matchAll(/DRILL=([a-z-]+)/g)].map((m) => m[1])),
      ),
    );
    const gameDays = read('game-days.md');
    for (const drill of DRILL_NAMES) {
      expect(gameDays, `game-days.md lists ${drill}`).toContain(`| \`${drill}\` |`);
      if (drill === 'supervisor-killed') continue; // a local-system drill: its page is docs/development.md
      expect([...exercised], `a runbook says "Exercised by: ... DRILL=${drill}"`).toContain(drill);
    }
  });
});

describe('runbooks: known-wrong instructions stay out of the docs', () => {
  it.each(docs.map((doc) => [doc.path, doc.text]))('%s', (_path, text) => {
    // The probes are at the pod's root; the ALB and CloudFront forward only /api/*.
    expect(text).not.toMatch(/\/api\/(healthz|readyz)\b/);
    // Argo CD's SSO is for the UI on the port-forwarded address (a SAML callback to https://localhost:8080); the
    // runbooks' CLI logs in with --core through Kubernetes access, not through that browser flow.
    expect(text).not.toMatch(/argocd login[^\n]*--sso/);
  });
});
