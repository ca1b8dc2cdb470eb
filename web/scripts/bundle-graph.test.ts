import { describe, expect, it } from 'vitest';
import { BundleGraphError, type Manifest, pathFiles } from './bundle-graph';

// The shape Vite writes: the entry imports the sign-in code and the app dynamically; the app's pages are dynamic
// imports of the app shell and share a vendor chunk.
const manifest: Manifest = {
  'index.html': { file: 'assets/index.js', isEntry: true, dynamicImports: ['src/auth.ts', 'src/render.tsx'] },
  'src/auth.ts': { file: 'assets/auth.js', imports: ['index.html'] },
  'src/render.tsx': {
    file: 'assets/render.js',
    imports: ['_vendor.js', 'index.html'],
    dynamicImports: ['src/projects.tsx', 'src/board.tsx'],
  },
  'src/projects.tsx': { file: 'assets/projects.js', imports: ['_vendor.js', '_shared.js'] },
  'src/board.tsx': { file: 'assets/board.js', imports: ['_vendor.js', '_shared.js', '_dnd.js'] },
  '_vendor.js': { file: 'assets/vendor.js' },
  '_shared.js': { file: 'assets/shared.js', imports: ['_vendor.js'] },
  '_dnd.js': { file: 'assets/dnd.js' },
};

describe('pathFiles', () => {
  it('follows each dynamic import with its static imports, and nothing off the path', () => {
    expect([...pathFiles(manifest, ['src/render.tsx', 'src/projects.tsx'])].sort()).toEqual([
      'assets/index.js',
      'assets/projects.js',
      'assets/render.js',
      'assets/shared.js',
      'assets/vendor.js',
    ]);
    expect([...pathFiles(manifest, ['src/auth.ts'])].sort()).toEqual(['assets/auth.js', 'assets/index.js']);
  });

  it('refuses a step that is not a dynamic import of what is already loaded', () => {
    // The page is imported by the app shell, not by the entry: measuring it straight from the entry is wrong.
    expect(() => pathFiles(manifest, ['src/projects.tsx'])).toThrow(
      new BundleGraphError('src/projects.tsx is not imported dynamically by any chunk loaded before it'),
    );
    expect(() => pathFiles(manifest, ['src/render.tsx', 'src/renamed.tsx'])).toThrow(BundleGraphError);
  });

  it('refuses a manifest without exactly one entry or with a dangling import', () => {
    expect(() => pathFiles({ 'a.js': { file: 'a.js' } }, [])).toThrow(/0 entry chunks/);
    expect(() =>
      pathFiles({ 'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_gone.js'] } }, []),
    ).toThrow(/no chunk for _gone.js/);
  });
});
