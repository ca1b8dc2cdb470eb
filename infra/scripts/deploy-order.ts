/**
 * The order an environment's stacks deploy in: the one list `make diff`, `make deploy`, the deploy and drift
 * workflows and docs/deployment.md's "Deploy order" follow (a test holds the four together).
 *
 *   npx tsx scripts/deploy-order.ts <env> [stack id ...]   # prints the environment's stack ids, in order
 *
 * It reads the synthesized cloud assembly (cdk.out/manifest.json, written by `make synth`), so it lists exactly the
 * stacks the app builds for that environment (dev has no `dr`), and refuses when the list and the app disagree: a
 * stack the list does not name, or an order that puts a stack before one it depends on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_DIR } from '../lib/app-context.ts';

/** Stack parts (`innovate-<env>-<part>`) in deploy order; an environment deploys the ones its app has. */
export const WORKLOAD_DEPLOY_ORDER = [
  'network',
  'domain',
  'dr',
  'data',
  'users',
  'observability',
  'cluster',
  'edge',
  'delivery',
] as const;

/** A stack of the cloud assembly: its id and the stacks it depends on (asset manifests left out). */
export interface AssemblyStack {
  id: string;
  dependencies: string[];
}

interface Manifest {
  artifacts?: Record<string, { type: string; dependencies?: string[] }>;
}

/** The stacks of a cloud assembly's manifest.json. */
export function assemblyStacks(manifest: Manifest): AssemblyStack[] {
  const artifacts = manifest.artifacts ?? {};
  const stackIds = new Set(
    Object.entries(artifacts)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([id]) => id),
  );
  return [...stackIds].map((id) => ({
    id,
    dependencies: (artifacts[id]?.dependencies ?? []).filter((d) => stackIds.has(d)),
  }));
}

/**
 * The environment's stack ids in deploy order (`only` narrows to those ids, still in order). Throws with one line
 * when the app has a stack of this environment the order does not name, when `only` names a stack the app does not
 * have, or when a stack would deploy before one it depends on.
 */
export function deployOrder(prefix: string, stacks: readonly AssemblyStack[], only: readonly string[] = []): string[] {
  const mine = stacks.filter((s) => s.id.startsWith(`${prefix}-`));
  const ordered = WORKLOAD_DEPLOY_ORDER.map((part) => `${prefix}-${part}`).filter((id) =>
    mine.some((s) => s.id === id),
  );
  const unlisted = mine.filter((s) => !ordered.includes(s.id)).map((s) => s.id);
  if (unlisted.length > 0)
    throw new Error(`${unlisted.join(', ')} not in WORKLOAD_DEPLOY_ORDER (infra/scripts/deploy-order.ts): add it`);
  for (const stack of mine) {
    for (const dependency of stack.dependencies) {
      if (ordered.includes(dependency) && ordered.indexOf(dependency) > ordered.indexOf(stack.id))
        throw new Error(`${stack.id} depends on ${dependency}, which WORKLOAD_DEPLOY_ORDER puts after it`);
    }
  }
  const unknown = only.filter((id) => !ordered.includes(id));
  if (unknown.length > 0)
    throw new Error(`STACKS: ${unknown.join(', ')} not a stack of ${prefix}: ${ordered.join(' ')}`);
  return only.length > 0 ? ordered.filter((id) => only.includes(id)) : ordered;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const [envName, ...only] = process.argv.slice(2);
    if (!envName) throw new Error('usage: deploy-order.ts <env> [stack id ...]');
    const manifestPath = join(INFRA_DIR, 'cdk.out', 'manifest.json');
    if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run make synth first`);
    const { loadPlatformConfig } = await import('@innovate/config');
    const prefix = loadPlatformConfig(process.env.INNOVATE_CONFIG_DIR || undefined).environment(envName).names.prefix;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    process.stdout.write(`${deployOrder(prefix, assemblyStacks(manifest), only).join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`deploy-order: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exit(2);
  }
}
