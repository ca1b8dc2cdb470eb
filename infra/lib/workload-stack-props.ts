/** Props every workload environment stack receives: the environment's resolved config, nothing else global. */
import type { OrganizationConfig, ResolvedEnvironment } from '@innovate/config';
import type { StackProps } from 'aws-cdk-lib';

export interface WorkloadStackProps extends StackProps {
  /** The environment this stack belongs to (sizes, CIDRs, names, tags). */
  environment: ResolvedEnvironment;
  /** Organization-wide settings (apex domain, Git repository, regions). */
  organization: OrganizationConfig;
}
