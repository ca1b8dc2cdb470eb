export {
  COST_TAG_KEYS,
  ConfigError,
  type CostTags,
  loadPlatformConfig,
  type PlatformConfig,
  type ResolvedEnvironment,
} from './load.ts';
export type { EnvironmentNames } from './names.ts';
export type { EnvironmentConfig, EnvironmentName, OrganizationConfig, Tags } from './schema.ts';
