/**
 * Every cdk-nag finding this app accepts, with the reason, in ONE file a reviewer can read whole.
 *
 * cdk-nag v3 fails synth on any finding not acknowledged here. An entry names the rule finding exactly as cdk-nag
 * reports it (`AwsSolutions-IAM5[Resource::*]` is a different finding from `AwsSolutions-IAM5[Action::s3:*]`), the
 * construct path it applies to (relative to its stack; the acknowledgement covers that construct's subtree), and a
 * reason specific to that construct. No acknowledgement is applied to a whole stack or app.
 *
 * `stack` selects stacks by the suffix of their id (`network` matches `innovate-dev-network`, `innovate-prod-network`).
 */
export interface Acknowledgement {
  /** Suffix of the stack id, e.g. `network`, `cluster`, or a foundations stack's suffix. */
  stack: string;
  /** Construct path inside the stack, e.g. `Vpc/FlowLog`; the subtree below it is covered. */
  path: string;
  /** The finding id as cdk-nag reports it. */
  id: string;
  /** Why the finding is accepted here. Specific, never "not needed". */
  reason: string;
}

/** Workload environment stacks (issue 3). */
export const WORKLOAD_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  {
    stack: 'network',
    path: 'DatabaseAcl',
    id: 'AwsSolutions-VPC3',
    reason:
      'The database-tier NACL is deliberate (issue 3, spec §3): a stateless guardrail that admits 5432 only from the ' +
      'app and db subnets, so a wrong security group rule cannot expose PostgreSQL to the public tier.',
  },
];

/** Organization foundations stacks (issue 4): appended by the foundations engineer. */
export const FOUNDATION_ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [];

export const ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  ...WORKLOAD_ACKNOWLEDGEMENTS,
  ...FOUNDATION_ACKNOWLEDGEMENTS,
];
