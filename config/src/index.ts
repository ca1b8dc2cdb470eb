export {
  argocdBootstrap,
  type BootstrapProject,
  IN_CLUSTER,
  type RootApplication,
  syncPolicy,
} from './argocd-bootstrap.ts';
export {
  type CostPolicy,
  clockAfter,
  INTERFACE_ENDPOINT_SERVICES,
  type InterfaceEndpointService,
  minutesOf,
  type OffHours,
  WEEKDAYS,
  weeklyOnHours,
} from './cost-policy-schema.ts';
export type { AccountKey, FoundationsConfig, PermissionSetKey } from './foundations-schema.ts';
export {
  COST_TAG_KEYS,
  ConfigError,
  type CostTags,
  loadPlatformConfig,
  type PlatformConfig,
  type ResolvedEnvironment,
} from './load.ts';
export { databaseInstanceIdentifier, type EnvironmentNames, type PodIdentityWorkload } from './names.ts';
export type {
  AccountServicesUsage,
  AuthConfig,
  CentralAccountUsage,
  DatabaseRestore,
  EnvironmentConfig,
  EnvironmentName,
  OrganizationConfig,
  Tags,
  Usage,
} from './schema.ts';
export {
  SUBNET_GROUPS,
  type SubnetGroup,
  type SubnetGroupLayout,
  type SubnetLayout,
  subnetLayout,
} from './subnet-layout.ts';
