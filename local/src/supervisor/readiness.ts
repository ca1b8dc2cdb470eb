import { sleep } from './child.ts';

/**
 * Polls `url` until it answers 200. Gives up when `stillWorthWaiting` turns false (the process serving it died) or
 * after `timeoutMs`, with an error saying which.
 */
export async function waitUntilReady(
  url: string,
  options: { timeoutMs: number; stillWorthWaiting: () => boolean; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!options.stillWorthWaiting()) throw new Error(`stopped waiting for ${url}: the process serving it exited`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(options.intervalMs ?? 200);
  }
  throw new Error(`${url} was not ready within ${Math.round(options.timeoutMs / 1000)} s (last: ${last})`);
}
