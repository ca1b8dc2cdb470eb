/**
 * Runs the local system exactly as `make up` does (the same supervisor, started by `@innovate/local`'s
 * MakeUpProcess), on a free port with its own data folder, so the browser test exercises what a developer gets.
 */
import { resolve } from 'node:path';
import { MakeUpProcess } from '@innovate/local/src/make-up-process.ts';

export { freePort } from '@innovate/local/src/supervisor/ports.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export async function startStack(options: {
  port: number;
  dataDir: string;
  timeoutMs?: number;
}): Promise<MakeUpProcess> {
  const stack = new MakeUpProcess({ repoRoot: REPO_ROOT, dataDir: options.dataDir, port: options.port });
  await stack.start(options.timeoutMs ?? 180_000);
  return stack;
}
