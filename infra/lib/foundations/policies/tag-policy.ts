/**
 * The organization's tag policy (requirement COST-1): the four cost-allocation tags with their exact key casing and, where
 * the config knows them, their allowed values. It standardises; the require-cost-tags SCP enforces presence.
 */
import { COST_TAG_KEYS, type PlatformConfig } from '@innovate/config';

/** Resource types on which non-compliant tag values are rejected (not just reported). */
const ENFORCED_FOR = ['ec2:instance', 'ec2:volume', 'rds:db'];

export function costTagPolicy(config: PlatformConfig): Record<string, unknown> {
  const org = config.organization;
  const allowedValues: Record<(typeof COST_TAG_KEYS)[number], string[] | undefined> = {
    env: ['foundations', 'security', ...config.environments.map((env) => env.name)],
    app: [org.tags.app],
    owner: undefined,
    'cost-center': [...new Set([org.tags.costCenter, ...config.environments.map((env) => env.tags['cost-center'])])],
  };
  const tags: Record<string, unknown> = {};
  for (const key of COST_TAG_KEYS) {
    const values = allowedValues[key];
    tags[key] = {
      tag_key: { '@@assign': key },
      ...(values ? { tag_value: { '@@assign': values }, enforced_for: { '@@assign': ENFORCED_FOR } } : {}),
    };
  }
  return { tags };
}
