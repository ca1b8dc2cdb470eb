import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Production build: every JS/CSS asset lands in `dist/assets/` with a content hash in its name, so the edge (and
 * CloudFront) can cache `/assets/*` for a year as immutable, while `index.html` — the only unhashed entry — is never
 * cached. The dev server proxies `/api` to a running API the same way the local edge does.
 */
const SIGN_IN_LIBRARIES = /[\\/]node_modules[\\/](oidc-client-ts|jwt-decode)[\\/]/;
const isAppLibrary = (id: string) => /[\\/]node_modules[\\/]/.test(id) && !SIGN_IN_LIBRARIES.test(id);

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // Maps are built for error tracking but not referenced from the bundles users download.
    sourcemap: 'hidden',
    // No inline <script>/<style>: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    // dist/.vite/manifest.json: which chunk each module landed in and what it imports; make web-size reads it (the
    // upload leaves it out).
    manifest: true,
    // Every browser the build targets preloads modules itself; the polyfill would be bytes on every first screen.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // The libraries the signed-in app runs on (React, React Query, the router, the API client) in one chunk:
        // it compresses better than the same code spread over the shell and the pages, and a release that changes
        // only our code leaves it cached. The sign-in library stays out, in the sign-in chunk main.tsx loads.
        codeSplitting: { groups: [{ name: 'vendor', test: (id: string) => isAppLibrary(id) }] },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': process.env.API_ORIGIN ?? 'http://127.0.0.1:8000' },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts'],
    setupFiles: ['src/testing/setup.ts'],
  },
});
