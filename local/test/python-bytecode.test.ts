/**
 * When `make up` compiles the API's packages to bytecode: only where Python caches none itself, and only when the
 * installed packages differ from those compiled last.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytecodeNeeded, installedPackages, recordBytecode } from '../src/python-bytecode.ts';

function venvWith(...distributions: string[]): { venv: string; sitePackages: string } {
  const venv = mkdtempSync(join(tmpdir(), 'bytecode-venv-'));
  const sitePackages = join(venv, 'lib', 'python3.11', 'site-packages');
  mkdirSync(sitePackages, { recursive: true });
  mkdirSync(join(sitePackages, 'flask'));
  for (const name of distributions) mkdirSync(join(sitePackages, name));
  return { venv, sitePackages };
}

const noBytecode = { PYTHONDONTWRITEBYTECODE: '1' };

describe('bytecodeNeeded', () => {
  it('names the installed distributions, sorted, and nothing else', () => {
    const { venv } = venvWith('sqlalchemy-2.0.44.dist-info', 'flask-3.1.2.dist-info');
    expect(installedPackages(venv)).toBe('flask-3.1.2.dist-info\nsqlalchemy-2.0.44.dist-info');
  });

  it('compiles once, then not again until a package changes', () => {
    const { venv, sitePackages } = venvWith('flask-3.1.2.dist-info');
    expect(bytecodeNeeded(venv, noBytecode)).toBe(true);
    recordBytecode(venv);
    expect(bytecodeNeeded(venv, noBytecode)).toBe(false);
    rmSync(join(sitePackages, 'flask-3.1.2.dist-info'), { recursive: true });
    mkdirSync(join(sitePackages, 'flask-3.1.3.dist-info'));
    expect(bytecodeNeeded(venv, noBytecode)).toBe(true);
  });

  it('leaves it to Python when PYTHONDONTWRITEBYTECODE is not set', () => {
    const { venv } = venvWith('flask-3.1.2.dist-info');
    expect(bytecodeNeeded(venv, {})).toBe(false);
    expect(bytecodeNeeded(venv, { PYTHONDONTWRITEBYTECODE: '' })).toBe(false);
  });

  it('does nothing for an environment it cannot read (no site-packages)', () => {
    const venv = mkdtempSync(join(tmpdir(), 'bytecode-empty-'));
    expect(bytecodeNeeded(venv, noBytecode)).toBe(false);
  });
});
