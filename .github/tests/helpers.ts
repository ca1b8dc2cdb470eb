/** Readers for the drift tests: the repository's own files, parsed, never copies of their values. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WORKFLOWS_DIR = join(REPO_ROOT, '.github', 'workflows');

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is walked structurally and asserted on
export type Json = any;

export function readRepoFile(...parts: string[]): string {
  return readFileSync(join(REPO_ROOT, ...parts), 'utf8');
}

export function workflows(): { file: string; text: string; doc: Json }[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
      return { file, text, doc: parse(text) };
    });
}

/** Every object of one rendered component file of one environment (deploy/rendered/components/<env>/...). */
export function renderedObjects(envName: string, component: string): Json[] {
  const text = readRepoFile('deploy', 'rendered', 'components', envName, component, `${component}.yaml`);
  return parseAllDocuments(text).map((d) => d.toJS());
}

export interface DockerInstruction {
  stage: string;
  keyword: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped, each tagged with its stage. */
export function dockerInstructions(text: string): DockerInstruction[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const out: DockerInstruction[] = [];
  let stage = '';
  for (const line of logical) {
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile: cannot parse line: ${line}`);
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').trim();
    if (keyword === 'FROM') stage = /\bAS\s+(\S+)$/i.exec(args)?.[1] ?? '';
    out.push({ stage, keyword, args });
  }
  return out;
}

/** `ENV A=1 B=2` pairs (the only ENV form the Dockerfile uses). */
export function envPairs(args: string): [string, string][] {
  return [...args.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
}
