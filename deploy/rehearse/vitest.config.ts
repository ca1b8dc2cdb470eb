import { defineConfig } from 'vitest/config';

// The refusal tests start a control plane (a few seconds) and wait for CRDs to be established.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 180_000 } });
