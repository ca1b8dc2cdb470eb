/**
 * shellcheck over the `run:` scripts of the repository's composite actions (.github/actions/<name>/action.yml):
 * actionlint checks the scripts of workflows only. Exit 1 on any finding, naming the action and step.
 *
 *   npx tsx .github/scripts/shellcheck-actions.ts <path to shellcheck>
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const actionsDir = join(import.meta.dirname, '..', 'actions');
const shellcheck = process.argv[2] ?? 'shellcheck';
let scripts = 0;
let findings = 0;
for (const name of readdirSync(actionsDir)) {
  const action = parse(readFileSync(join(actionsDir, name, 'action.yml'), 'utf8'));
  (action.runs?.steps ?? []).forEach((step: { run?: string; shell?: string }, index: number) => {
    if (!step.run) return;
    scripts++;
    // GitHub runs `shell: bash` steps as `bash -e {0}`; the script's own `set` lines add the rest.
    const result = spawnSync(shellcheck, ['--shell=bash', '-'], { input: step.run, encoding: 'utf8' });
    if (result.status !== 0) {
      findings++;
      console.error(`${name} step ${index + 1}:\n${result.stdout}${result.stderr}`);
    }
  });
}
console.log(`shellcheck-actions: ${scripts} scripts, ${findings} with findings`);
process.exit(findings === 0 ? 0 : 1);
