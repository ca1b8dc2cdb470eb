import { defineConfig } from 'vitest/config';

// The strict check compiles the model typings and the policy suite runs OPA: both take seconds, not millis.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
