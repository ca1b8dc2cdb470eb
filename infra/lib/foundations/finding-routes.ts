/**
 * The EventBridge patterns that take a security finding to a person (the security account's findings topic): one
 * route per source, each with the runbook entry that says who acts (docs/runbooks/security-findings.md).
 *
 * Patterns match the events as each service publishes them on the default bus of the security account (delegated
 * administrator of GuardDuty, Security Hub and Inspector; owner of the organization analyzer), including member
 * accounts' findings, which those services deliver to the administrator. Log-archive tampering arrives forwarded
 * from the management and log-archive accounts (tamper-patterns.ts).
 */
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import type { LogArchiveNames } from './log-archive-names.ts';
import { archiveTamperPatterns, trailTamperPattern } from './tamper-patterns.ts';

export interface FindingRoute {
  description: string;
  pattern: EventPattern;
  /** Anchor of the route's entry in docs/runbooks/security-findings.md. */
  runbook: string;
}

/** GuardDuty severities are numbers: 4.0–6.9 medium, 7.0–8.9 high, 9.0+ critical. Low (1–3.9) is not paged. */
export const GUARDDUTY_MIN_SEVERITY = 4;

/** Every route of the primary region: the services' findings and the forwarded log-archive tampering. */
export function findingRoutes(names: LogArchiveNames, managementAccount: string): Record<string, FindingRoute> {
  return { ...serviceFindingRoutes(), ...tamperRoutes(names, managementAccount) };
}

/** Findings the security services publish in the region where they find something. */
export function serviceFindingRoutes(): Record<string, FindingRoute> {
  return {
    GuardDutyFindings: {
      description: 'GuardDuty findings of medium severity and above, every account',
      pattern: {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Finding'],
        detail: { severity: [{ numeric: ['>=', GUARDDUTY_MIN_SEVERITY] }] },
      },
      runbook: 'guardduty-findings',
    },
    SecurityHubHighFindings: {
      description: 'Security Hub findings labelled HIGH or CRITICAL, new and active',
      pattern: {
        source: ['aws.securityhub'],
        detailType: ['Security Hub Findings - Imported'],
        detail: {
          findings: {
            Severity: { Label: ['HIGH', 'CRITICAL'] },
            Workflow: { Status: ['NEW'] },
            RecordState: ['ACTIVE'],
          },
        },
      },
      runbook: 'security-hub-high-findings',
    },
    ConfigNonCompliance: {
      description: 'AWS Config rule evaluations that turn NON_COMPLIANT',
      pattern: {
        source: ['aws.config'],
        detailType: ['Config Rules Compliance Change'],
        detail: {
          messageType: ['ComplianceChangeNotification'],
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
      runbook: 'config-non-compliance',
    },
    AccessAnalyzerFindings: {
      description: 'IAM Access Analyzer: a resource shared outside the organization (active findings)',
      pattern: {
        source: ['aws.access-analyzer'],
        detailType: ['Access Analyzer Finding'],
        detail: { status: ['ACTIVE'] },
      },
      runbook: 'access-analyzer-findings',
    },
    InspectorFindings: {
      description: 'Amazon Inspector: HIGH or CRITICAL vulnerabilities in ECR images and EC2 instances',
      pattern: {
        source: ['aws.inspector2'],
        detailType: ['Inspector2 Finding'],
        detail: { severity: ['HIGH', 'CRITICAL'], status: ['ACTIVE'] },
      },
      runbook: 'inspector-findings',
    },
  };
}

function tamperRoutes(names: LogArchiveNames, managementAccount: string): Record<string, FindingRoute> {
  const archive = archiveTamperPatterns(names);
  return {
    TrailTampering: {
      description: 'Someone stopped, deleted or narrowed a trail in the management account',
      pattern: trailTamperPattern(managementAccount),
      runbook: 'log-archive-tampering',
    },
    ArchiveKeyTampering: {
      description: 'Someone disabled, scheduled deletion of or re-policied a log-archive key',
      pattern: archive.ArchiveKeyTampering,
      runbook: 'log-archive-tampering',
    },
    ArchiveBucketTampering: {
      description: 'Someone changed a log-archive bucket policy, lifecycle or versioning',
      pattern: archive.ArchiveBucketTampering,
      runbook: 'log-archive-tampering',
    },
  };
}
