/**
 * Runs the pinned OPA binary (built by `make deps-opa` into .tools/bin). Gatekeeper adds one builtin OPA lacks,
 * `external_data` (how the signature policy reaches Ratify); it is declared in a capabilities file so `opa test`
 * and `opa eval` compile the policies exactly as written, and tests replace it with `with external_data as …`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/layout.ts';
import { POLICIES_DIR } from '../../src/rego-folder.ts';

export const OPA = join(REPO_ROOT, '.tools', 'bin', 'opa');

export function runOpa(args: string[]): string {
  try {
    return execFileSync(OPA, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const failure = error as { code?: string; stdout?: string; stderr?: string; message: string };
    if (failure.code === 'ENOENT') throw new Error(`${OPA} not found: run make deps-opa`);
    throw new Error(`opa ${args[0]} failed: ${failure.stderr || failure.stdout || failure.message}`);
  }
}

/** Writes OPA's own capabilities plus Gatekeeper's `external_data` builtin to a temp file; returns its path. */
export function gatekeeperCapabilities(): string {
  const capabilities = JSON.parse(runOpa(['capabilities', '--current'])) as { builtins: unknown[] };
  capabilities.builtins.push({
    name: 'external_data',
    decl: { type: 'function', args: [{ type: 'any' }], result: { type: 'any' } },
  });
  const path = join(mkdtempSync(join(tmpdir(), 'opa-caps-')), 'capabilities.json');
  writeFileSync(path, JSON.stringify(capabilities));
  return path;
}

const command = process.argv[2];
if (import.meta.url === `file://${process.argv[1]}` && command === 'test') {
  // `opa test` over every policy and its fixtures, with Gatekeeper's builtins declared.
  const output = runOpa(['test', '--capabilities', gatekeeperCapabilities(), '--v1-compatible', POLICIES_DIR]);
  process.stdout.write(output);
}
