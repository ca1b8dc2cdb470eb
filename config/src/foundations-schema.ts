/**
 * Organization foundations: the values the management-account and security-account stacks need.
 *
 * Owned by the foundations part (infra/lib/foundations). Everything here is something AWS gives you once
 * (organization id, root id, Identity Center instance, group ids) or a decision of the security team (Object Lock
 * retention, break-glass role name, budget amounts). The stacks and the policy tests read only these values.
 */
import { z } from 'zod';

const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');
const ouName = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'expected an OU name of letters, digits and dashes');
const iamName = z.string().regex(/^[A-Za-z0-9+=,.@_-]{1,64}$/, 'expected an IAM role name');
/** ISO-8601 durations Identity Center accepts for a permission set's session (1 to 12 hours). */
const sessionDuration = z
  .string()
  .regex(/^PT([1-9]|1[0-2])H$/, 'expected an ISO-8601 duration of 1 to 12 hours such as PT1H');
const identityStoreGroupId = z
  .string()
  .regex(
    /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
    'expected an Identity Store group id (a UUID)',
  );

/** The keys that name an account in this config: the two central ones, each environment, and the optional ones. */
export const accountKey = z.enum([
  'foundations',
  'security',
  'logArchive',
  'dev',
  'staging',
  'prod',
  'network',
  'analytics',
]);

/**
 * The permission sets the foundations create in IAM Identity Center (requirement ORG-5). `clusterAdmin` is the only one
 * whose Identity Center role the workload accounts' cluster-admin role trusts.
 */
export const permissionSetKey = z.enum([
  'readOnly',
  'devops',
  'clusterAdmin',
  'securityAdmin',
  'breakGlass',
  'prodDataAccess',
]);

export const foundationsSchema = z
  .strictObject({
    /** `o-...`: the organization's id; bucket and key policies admit only this organization (`aws:SourceOrgID`). */
    organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'expected an organization id such as o-a1b2c3d4e5'),
    /** `r-...`: the organization root, where the organization-wide SCPs and the tag policy are attached. */
    rootId: z.string().regex(/^r-[0-9a-z]{4,32}$/, 'expected a root id such as r-a1b2'),
    /** OUs under the root, parents before children. `parent` names another OU; absent means the root. */
    organizationalUnits: z.array(z.strictObject({ name: ouName, parent: ouName.optional() })).min(1),
    /** The OU each member account lives in (the management account lives at the root). */
    accountOus: z.partialRecord(accountKey, ouName),
    /** Optional member accounts of requirement ORG-1 (network, analytics); the environments' accounts are in their files. */
    optionalAccounts: z
      .strictObject({
        network: z.strictObject({ id: accountId, email: z.email() }).optional(),
        analytics: z.strictObject({ id: accountId, email: z.email() }).optional(),
      })
      .default({}),
    /** The OU whose accounts must carry the cost tags on creation, and the one holding production. */
    workloadsOu: ouName,
    prodOu: ouName,
    /** Roles the guardrails except by condition (aws:PrincipalArn), and protect from change by anyone else. */
    protectedRoles: z.strictObject({
      /** Emergency role in every member account; assumable only with MFA from the management account. */
      breakGlassRoleName: iamName,
      /** The role the management account's automation uses in members (created by Organizations). */
      orgAutomationRoleName: iamName,
    }),
    /** Path of the only IAM users allowed in member accounts (break-glass users; everything else uses SSO). */
    breakGlassUserPath: z.string().regex(/^\/[a-z0-9-]+\/$/, 'expected an IAM path such as /break-glass/'),
    /** How old (seconds) an MFA sign-in may be when the break-glass role is assumed. */
    breakGlassMaxMfaAgeSeconds: z.number().int().min(300).max(43200),
    /** Central log archive: S3 Object Lock (WORM) on the CloudTrail bucket, and its lifecycle. */
    logArchive: z.strictObject({
      objectLockMode: z.enum(['COMPLIANCE', 'GOVERNANCE']),
      objectLockRetentionDays: z.number().int().min(1).max(36500),
      transitionToGlacierDays: z.number().int().min(1),
      /** Expiry of log objects; must not precede the Object Lock retention. */
      expireAfterDays: z.number().int().min(1),
      /** Expiry of the AWS Config and S3 access-log buckets (no Object Lock there, see ADR 0041). */
      auxiliaryExpireAfterDays: z.number().int().min(1),
    }),
    /** IAM Identity Center: the instance, the groups (ids from the identity store) and who gets what, where. */
    identityCenter: z.strictObject({
      instanceArn: z
        .string()
        .regex(/^arn:aws:sso:::instance\/ssoins-[a-f0-9]{16}$/, 'expected an Identity Center instance ARN'),
      groups: z.record(permissionSetKey, identityStoreGroupId),
      sessionDurations: z.record(permissionSetKey, sessionDuration),
      /** PostgreSQL role (IAM authentication) the production data-access permission set may connect as. */
      prodDataAccessDbUser: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a PostgreSQL role name'),
      /** Which permission set (assigned to its group) reaches which accounts. */
      assignments: z.array(z.strictObject({ permissionSet: permissionSetKey, accounts: z.array(accountKey).min(1) })),
    }),
    /** Monthly budget per account in USD (until the cost model derives them) and who is told. */
    budgets: z.strictObject({
      monthlyUsd: z.partialRecord(accountKey, z.number().positive()),
      alertEmail: z.email(),
    }),
    /** Who is told when the management account's root or a break-glass user signs in (its security alert topic). */
    securityAlertEmail: z.email(),
    /**
     * Where security findings reach a person: the security account's findings topic (GuardDuty, Security Hub HIGH and
     * above, Config non-compliance, Access Analyzer, Inspector, log-archive tampering) and the cost anomaly topic.
     */
    securityFindings: z.strictObject({
      /** Subscribed by e-mail (the subscription must be confirmed once from the mailbox). */
      alertEmail: z.email(),
      /** Optional AWS Chatbot delivery to one Slack channel (the workspace is authorized once in the console). */
      slack: z
        .strictObject({
          workspaceId: z.string().regex(/^[A-Z0-9]{9,11}$/, 'expected a Slack workspace id such as T0123456789'),
          channelId: z.string().regex(/^[A-Z0-9]{9,11}$/, 'expected a Slack channel id such as C0123456789'),
        })
        .optional(),
    }),
    /** Cost Anomaly Detection: alert when an anomaly's total impact reaches this many USD. */
    anomalyThresholdUsd: z.number().positive(),
    /**
     * Account-level guardrails the member baseline switches on in every member account and region (ADR 0045): S3
     * Block Public Access, and EBS encryption by default with the CMK the baseline creates under this alias.
     */
    accountGuardrails: z.strictObject({
      ebsDefaultKeyAlias: z
        .string()
        .regex(/^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/, 'expected a KMS alias such as alias/innovate-ebs-default'),
    }),
    /**
     * The organization's backup copies (ADR 0047): each environment's nightly recovery point is also copied to a
     * vault of this name in the log-archive account (primary region), which accepts copies only from the workload
     * accounts and refuses deletion.
     */
    backupCopies: z.strictObject({
      vaultName: z.string().regex(/^[a-zA-Z0-9-_]{2,50}$/, 'expected an AWS Backup vault name'),
      /**
       * Vault Lock in compliance mode: no copy is deleted before `minRetentionDays`; the lock can be changed for
       * `changeableForDays` after the deploy and is permanent after that (AWS minimum grace period: 3 days).
       */
      lock: z.strictObject({
        minRetentionDays: z.number().int().min(1).max(36500),
        changeableForDays: z.number().int().min(3).max(30),
      }),
    }),
  })
  .superRefine((f, ctx) => {
    const known = new Set<string>();
    f.organizationalUnits.forEach((ou, index) => {
      if (known.has(ou.name)) {
        ctx.addIssue({ code: 'custom', path: ['organizationalUnits', index, 'name'], message: 'duplicate OU name' });
      }
      if (ou.parent !== undefined && !known.has(ou.parent)) {
        ctx.addIssue({
          code: 'custom',
          path: ['organizationalUnits', index, 'parent'],
          message: `unknown parent "${ou.parent}" (declare parents first)`,
        });
      }
      known.add(ou.name);
    });
    for (const [key, ou] of Object.entries(f.accountOus)) {
      if (!known.has(ou)) ctx.addIssue({ code: 'custom', path: ['accountOus', key], message: `unknown OU "${ou}"` });
    }
    for (const field of ['workloadsOu', 'prodOu'] as const) {
      if (!known.has(f[field])) ctx.addIssue({ code: 'custom', path: [field], message: `unknown OU "${f[field]}"` });
    }
    if ('foundations' in f.accountOus) {
      ctx.addIssue({
        code: 'custom',
        path: ['accountOus', 'foundations'],
        message: 'the management account lives at the root, not in an OU',
      });
    }
    if (f.logArchive.expireAfterDays < f.logArchive.objectLockRetentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['logArchive', 'expireAfterDays'],
        message: 'must be at least logArchive.objectLockRetentionDays',
      });
    }
    if (f.logArchive.transitionToGlacierDays >= f.logArchive.expireAfterDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['logArchive', 'transitionToGlacierDays'],
        message: 'must be less than logArchive.expireAfterDays',
      });
    }
  });

export type FoundationsConfig = z.infer<typeof foundationsSchema>;
export type AccountKey = z.infer<typeof accountKey>;
export type PermissionSetKey = z.infer<typeof permissionSetKey>;
