import { configDefaults, defineConfig } from 'vitest/config';

// The strict check compiles the model typings and the policy suite runs OPA: both take seconds, not millis.
// rehearse/ has its own suite (a live control plane), run by make test-rehearse.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 120_000, exclude: [...configDefaults.exclude, 'rehearse/**'] },
});
