/**
 * Organization foundations (issue 4): the management/foundations and security account stacks.
 *
 * OWNED BY THE FOUNDATIONS ENGINEER. This stub only lets `bin/app.ts` compile; its body is replaced by the real
 * stacks (Organizations, SCPs, CloudTrail, GuardDuty, Security Hub, ...). The workload app calls it exactly once.
 */
import type { PlatformConfig } from '@innovate/config';
import type { App } from 'aws-cdk-lib';

export function addFoundationStacks(_app: App, _config: PlatformConfig): void {
  // Intentionally empty until issue 4 lands.
}
