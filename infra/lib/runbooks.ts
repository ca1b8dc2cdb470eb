/**
 * Where an alarm's runbook lives: every AMP alert (`runbook_url`) and every CloudWatch alarm (its description)
 * links a page of docs/runbooks/ on the repository's default branch, so the page an on-call engineer opens is the
 * one reviewed with the code that raised the alarm.
 */
import type { OrganizationConfig } from '@innovate/config';

/** The page's URL on the repository's branch; `path` is relative to the repository root. */
export function runbookUrl(organization: OrganizationConfig, path: string): string {
  const { githubOwner, githubRepo, branch } = organization.git;
  return `https://github.com/${githubOwner}/${githubRepo}/blob/${branch}/${path}`;
}

/** The runbook page of a CloudWatch alarm: its name without the environment prefix (`innovate-prod-rds-cpu`). */
export function alarmRunbookPath(alarmName: string, prefix: string): string {
  if (!alarmName.startsWith(`${prefix}-`)) throw new Error(`alarm ${alarmName} does not start with ${prefix}-`);
  return `docs/runbooks/${alarmName.slice(prefix.length + 1)}.md`;
}
