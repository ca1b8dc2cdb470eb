import { defineConfig } from 'vitest/config';

// Building and synthesizing an environment's stacks takes seconds on 2 cores. All test files share one worker and
// one module cache (isolate: false), so each environment is built and synthesized once for the whole run instead of
// once per file; the default 5 s timeout would be flaky.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    isolate: false,
    fileParallelism: false,
  },
});
