/**
 * Waits until an environment serves the API image its pin names: polls `<api_url>/api/version` through the
 * environment's public URL (CloudFront → ALB → the pods, what users reach) until it reports the digest
 * deploy/images.yaml pins for that environment, on every one of several consecutive answers (during a canary both
 * images answer; the Rollout is done only when the new one answers alone). Exit 1 after the timeout.
 *
 *   npx tsx .github/scripts/wait-live.ts staging [timeout seconds]
 */
import { ciEnvironment } from './ci-env.ts';

const CONSECUTIVE = 10;
const INTERVAL_MS = 15_000;

/** True when every one of the last CONSECUTIVE answers reported `digest`. */
export function isLive(answers: Array<string | undefined>, digest: string): boolean {
  const last = answers.slice(-CONSECUTIVE);
  return last.length === CONSECUTIVE && last.every((answer) => answer === digest);
}

async function servedDigest(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(10_000),
      headers: { 'cache-control': 'no-cache' },
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { digest?: unknown };
    return typeof body.digest === 'string' ? body.digest : undefined;
  } catch {
    return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: wait-live.ts <environment> [timeout seconds]');
    process.exit(2);
  }
  const env = ciEnvironment(name);
  const url = `${env.api_url}/api/version`;
  const pinned = env.pinned_digest ?? '';
  const deadline = Date.now() + Number(process.argv[3] ?? 1800) * 1000;
  const answers: Array<string | undefined> = [];
  while (!isLive(answers, pinned)) {
    if (Date.now() > deadline) {
      console.error(`wait-live: ${url} did not report ${pinned} (last answer: ${answers.at(-1) ?? 'none'})`);
      process.exit(1);
    }
    answers.push(await servedDigest(url));
    if (!isLive(answers, pinned)) await new Promise((done) => setTimeout(done, INTERVAL_MS / CONSECUTIVE));
  }
  console.log(`wait-live: ${name} serves ${pinned} (${url})`);
}
