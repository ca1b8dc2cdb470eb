import { defineConfig } from 'vitest/config';

// Building a whole environment's stacks takes a few seconds on 2 cores; the default 5 s timeout would be flaky.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
