/**
 * Strict unknown-field check. The kubernetes-models validators accept fields no schema declares (`setWieght`,
 * `spec.replicaz`), which the API server would then drop silently. Here every object is type-checked by the
 * TypeScript compiler as an object literal of its model's interface (e.g. `IRollout`): excess-property checking
 * rejects any field the interface does not declare, at any depth, and names the field and the type.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { RegistryEntry } from './registry.ts';

const DEPLOY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Virtual file inside deploy/, so module resolution finds deploy's node_modules. Never written to disk. */
const VIRTUAL_FILE = join(DEPLOY_DIR, '__strict_check__.ts');

export interface StrictItem {
  object: unknown;
  entry: Pick<RegistryEntry, 'typeModule' | 'typeName'>;
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  types: [],
};

/** Returns, per item index, the compiler's complaints about it (empty when the object fits its type exactly). */
export function strictCheck(items: StrictItem[]): string[][] {
  const imports = new Map<string, string>();
  const lines: string[] = [];
  const ranges: Array<[number, number]> = [];
  for (const item of items) {
    const key = `${item.entry.typeModule}#${item.entry.typeName}`;
    if (!imports.has(key)) imports.set(key, `T${imports.size}`);
  }
  for (const [key, alias] of imports) {
    const [module, name] = key.split('#');
    lines.push(`import type { ${name} as ${alias} } from '${module}';`);
  }
  items.forEach((item, index) => {
    const alias = imports.get(`${item.entry.typeModule}#${item.entry.typeName}`);
    const body = JSON.stringify(item.object, null, 1).split('\n');
    const start = lines.length;
    lines.push(`export const o${index}: ${alias} = ${body[0]}`, ...body.slice(1));
    ranges.push([start, lines.length - 1]);
  });
  const text = `${lines.join('\n')}\n`;

  const host = ts.createCompilerHost(OPTIONS, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, create) =>
    fileName === VIRTUAL_FILE
      ? ts.createSourceFile(fileName, text, language, true)
      : getSourceFile(fileName, language, onError, create);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === VIRTUAL_FILE || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => (fileName === VIRTUAL_FILE ? text : readFile(fileName));

  const program = ts.createProgram({ rootNames: [VIRTUAL_FILE], options: OPTIONS, host });
  const source = program.getSourceFile(VIRTUAL_FILE);
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  const result: string[][] = items.map(() => []);
  for (const diagnostic of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : -1;
    const owner = ranges.findIndex(([from, to]) => line >= from && line <= to);
    if (owner < 0) throw new Error(`strict check: cannot type-check the models: ${message}`);
    result[owner]?.push(`${describeField(text, diagnostic)}${message}`);
  }
  return result;
}

/** The JSON key the diagnostic points at, e.g. `"setWieght": `, to make the message findable in the YAML. */
function describeField(text: string, diagnostic: ts.Diagnostic): string {
  if (diagnostic.start === undefined) return '';
  const lineEnd = text.indexOf('\n', diagnostic.start);
  const snippet = text.slice(diagnostic.start, lineEnd < 0 ? undefined : lineEnd).trim();
  const key = /^"([^"]+)"\s*:/.exec(snippet)?.[1];
  return key ? `field "${key}": ` : '';
}
