import { defineConfig } from 'vitest/config';

/** The browser test: one real stack (the `make up` supervisor) and a real Chromium, so generous timeouts. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
