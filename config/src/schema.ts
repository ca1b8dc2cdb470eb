/**
 * The shape of the platform's configuration, validated at load.
 *
 * Environments differ only by the values in `config/environments/<env>.yaml`; nothing in the CDK app, the cdk8s
 * app or the cost model branches on an environment's name. Deterministic resource names are not configured here:
 * they are derived from these values in `names.ts`, so AWS and Kubernetes can never disagree about them.
 */
import { z } from 'zod';
import { costPolicySchema } from './cost-policy-schema.ts';
import { foundationsSchema } from './foundations-schema.ts';

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;

export const cidr = z
  .string()
  .regex(IPV4_CIDR, 'expected an IPv4 CIDR such as 10.20.0.0/16')
  .refine((value) => isNetworkAddress(value), 'host bits must be zero (e.g. 10.20.0.0/16, not 10.20.1.0/16)');

export const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id');
export const awsRegion = z.enum(['us-east-1', 'us-west-2']);
const dnsLabel = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'expected a lower-case DNS label');
const hostname = z
  .string()
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, 'expected a lower-case fully qualified host name');
const positiveInt = z.number().int().positive();
/** Retention periods CloudWatch Logs accepts (anything else fails at deploy, so fail at load). */
const logRetentionDays = z.union(
  [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].map(
    (days) => z.literal(days),
  ) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>, ...z.ZodLiteral<number>[]],
);

export const tagsSchema = z.strictObject({
  /** Cost-allocation tags (requirement COST-1); every taggable resource carries all four. */
  app: dnsLabel,
  owner: z.string().min(1),
  costCenter: z.string().regex(/^[A-Za-z0-9-]+$/, 'expected letters, digits and dashes'),
});

/**
 * Egress of the private-app subnets. `gateway`: AWS's managed NAT gateway (billed per hour and per GB processed).
 * `instance`: a Graviton EC2 instance running Amazon Linux 2023 as the NAT (billed as the instance, no per-GB charge;
 * not highly available, patched by us), for non-production environments only (ADR 0160).
 */
export const natSchema = z
  .strictObject({
    provider: z.enum(['gateway', 'instance']),
    /** One per AZ (no AZ depends on another for egress) or one shared by the three AZs. */
    count: z.union([z.literal(1), z.literal(3)]),
    /**
     * The NAT instance's type (only with `provider: instance`). arm64 only: the image is Amazon Linux 2023 for arm64,
     * resolved from its public SSM parameter at deploy time.
     */
    instanceType: z
      .string()
      .regex(
        /^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/,
        'expected a Graviton (arm64) instance type such as t4g.nano: the NAT instance runs the arm64 Amazon Linux 2023 image',
      )
      .optional(),
  })
  .superRefine((nat, ctx) => {
    if (nat.provider === 'instance' && nat.instanceType === undefined) {
      ctx.addIssue({ code: 'custom', path: ['instanceType'], message: 'required when provider is instance' });
    }
    if (nat.provider === 'gateway' && nat.instanceType !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['instanceType'],
        message: 'only for provider: instance (a gateway has no type)',
      });
    }
  });

export const networkSchema = z.strictObject({
  /** The VPC's CIDR; must not overlap another environment's (checked across environments). */
  vpcCidr: cidr,
  /** Availability zones used; the spec asks for 3 everywhere. */
  azCount: z.literal(3),
  /** How the private-app subnets reach the internet (`natSchema`). */
  nat: natSchema,
  /** Prefix length of each public / private-app / private-db subnet. */
  subnetMasks: z.strictObject({
    public: z.number().int().min(20).max(28),
    app: z.number().int().min(16).max(24),
    db: z.number().int().min(20).max(28),
  }),
  /** Retention of the VPC flow log group. */
  flowLogRetentionDays: logRetentionDays,
});

export const dnsSchema = z.strictObject({
  /** The environment's public hosted zone, delegated from the apex `innovate.example.com`. */
  zoneName: hostname,
  /** Where users reach the SPA (CloudFront). */
  appHost: hostname,
  /** The API host name of requirement EDGE-1 (CloudFront, `/api/*`). */
  apiHost: hostname,
  /** The ALB's origin host name that ExternalDNS publishes and CloudFront uses as the `/api/*` origin. */
  originHost: hostname,
});

export const clusterSchema = z.strictObject({
  /** EKS Kubernetes minor version, N-1 of the newest the CDK library supports. */
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'expected a Kubernetes minor version such as 1.34'),
  /** CIDRs allowed to reach the public API endpoint; empty means the endpoint is private only. */
  publicEndpointCidrs: z.array(cidr),
  /** The small on-demand managed node group that hosts system pods (Karpenter, CoreDNS, Argo CD). */
  systemNodes: z.strictObject({
    instanceTypes: z.array(z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/)).min(1),
    minSize: z.number().int().min(1),
    desiredSize: z.number().int().min(1),
    maxSize: z.number().int().min(1),
    diskGiB: z.number().int().min(20).max(500),
  }),
  /** Karpenter's NodePool limits for the whole environment. */
  karpenter: z.strictObject({
    cpuLimit: positiveInt,
    memoryLimitGiB: positiveInt,
    /** How long an empty or underutilised node may live before consolidation. */
    consolidateAfter: z.string().regex(/^\d+[smh]$/, 'expected a duration such as 60s or 5m'),
    /** Maximum node age (weekly rotation of AMIs, requirement EKS-6). */
    expireAfter: z.string().regex(/^\d+h$/, 'expected hours such as 168h'),
  }),
});

export const apiWorkloadSchema = z.strictObject({
  minReplicas: z.number().int().min(1),
  maxReplicas: z.number().int().min(1),
  /** gunicorn worker processes and threads per pod. */
  workers: z.number().int().min(1).max(16),
  threads: z.number().int().min(1).max(64),
  /** Per-pod SQLAlchemy pool size; workers × pool × maxReplicas must fit the database's max_connections. */
  dbPoolSize: z.number().int().min(1).max(50),
  resources: z.strictObject({
    cpuRequest: z.string().regex(/^\d+m$/),
    memoryRequest: z.string().regex(/^\d+Mi$/),
    cpuLimit: z.string().regex(/^\d+m$/),
    memoryLimit: z.string().regex(/^\d+Mi$/),
  }),
});

/** An RDS instance identifier: a letter, then letters, digits and single hyphens, at most 63, no trailing hyphen. */
const rdsInstanceIdentifier = z
  .string()
  .regex(
    /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}(?<!-)$/,
    'expected an RDS instance identifier such as innovate-prod-postgres',
  );

/**
 * An RDS DB snapshot ARN: manual (`snapshot:<name>`), automated (`snapshot:rds:<name>`) or an AWS Backup recovery
 * point of RDS (`snapshot:awsbackup:job-<id>`), which is itself a DB snapshot.
 */
const RDS_SNAPSHOT_ARN = /^arn:aws(-[a-z]+)*:rds:([a-z0-9-]+):\d{12}:snapshot:[a-zA-Z][a-zA-Z0-9:-]*$/;

/**
 * Where the environment's database instance was restored from (docs/runbooks/point-in-time-restore.md, ADR 0105).
 * Absent: the instance was created empty. Present: the instance is a restore, under an identifier derived from this
 * block (`names.databaseInstanceIdentifier`), and CloudFormation replaces the old instance with it (the old one is
 * retained, not deleted). The block must stay for as long as that instance lives: removing it would make
 * CloudFormation replace the restored instance with an empty one.
 */
export const databaseRestoreSchema = z
  .strictObject({
    /** Point-in-time recovery from an instance's automated backups (same region, within its retention). */
    pointInTime: z
      .strictObject({
        /** The instance whose backups are restored (the one the app used until now). */
        sourceInstanceIdentifier: rdsInstanceIdentifier,
        /** The instant to restore to, ISO 8601 in UTC, e.g. 2026-12-03T10:14:00Z. */
        restoreTime: z.iso.datetime({ message: 'expected an ISO 8601 UTC instant such as 2026-12-03T10:14:00Z' }),
        /** Restore to the latest restorable time (about 5 minutes ago) instead of `restoreTime`. */
        useLatestRestorableTime: z.literal(true),
      })
      .partial({ restoreTime: true, useLatestRestorableTime: true })
      .superRefine((value, ctx) => {
        if ((value.restoreTime === undefined) === (value.useLatestRestorableTime === undefined)) {
          ctx.addIssue({
            code: 'custom',
            message: 'expected exactly one of restoreTime or useLatestRestorableTime: true',
          });
        }
      }),
    /** Restore from a DB snapshot or an AWS Backup recovery point of RDS, in the environment's region. */
    snapshot: z.strictObject({
      snapshotArn: z
        .string()
        .regex(RDS_SNAPSHOT_ARN, 'expected an RDS snapshot ARN (arn:aws:rds:<region>:<account>:snapshot:<name>)'),
    }),
  })
  .partial()
  .superRefine((value, ctx) => {
    if ((value.pointInTime === undefined) === (value.snapshot === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of pointInTime or snapshot' });
    }
  });

/** The region part of an RDS snapshot ARN (validated by `databaseRestoreSchema`). */
export function snapshotArnRegion(arn: string): string | undefined {
  return RDS_SNAPSHOT_ARN.exec(arn)?.[2];
}

export const databaseSchema = z.strictObject({
  /** PostgreSQL major version; equal to the local system's embedded PostgreSQL. */
  engineMajorVersion: z.literal(18),
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'expected an RDS class such as db.t4g.medium'),
  multiAz: z.boolean(),
  allocatedStorageGiB: z.number().int().min(20),
  maxAllocatedStorageGiB: z.number().int().min(20),
  /** Automated backup retention = the PITR window (requirement DB-2: 7–30 days by env). */
  backupRetentionDays: z.number().int().min(1).max(35),
  performanceInsightsRetentionDays: z.union([z.literal(7), z.literal(31), z.literal(93), z.literal(731)]),
  readReplica: z.boolean(),
  rdsProxy: z.boolean(),
  /** Nightly cross-region copies to the DR region (requirement DB-2). */
  crossRegionCopy: z.strictObject({
    enabled: z.boolean(),
    retentionDays: z.number().int().min(1).max(35),
  }),
  /**
   * Vault Lock in compliance mode on the DR vault (ADR 0047); required when `crossRegionCopy` is enabled. Until
   * `changeableForDays` have passed the lock can still be removed; after that it is permanent, even for AWS.
   */
  drVaultLock: z
    .strictObject({
      /** No recovery point in the DR vault can be deleted before it is this many days old. */
      minRetentionDays: z.number().int().min(1).max(35),
      /** The grace period after deploying in which the lock may be changed or removed (AWS minimum: 3 days). */
      changeableForDays: z.number().int().min(3).max(30),
    })
    .optional(),
  /** Nightly copies to the organization's backup vault in the log-archive account, same region (ADR 0047). */
  backupAccountCopy: z.strictObject({
    enabled: z.boolean(),
    retentionDays: z.number().int().min(1).max(35),
  }),
  /** Create the instance from a backup instead of empty; absent in normal operation (see the schema above). */
  restore: databaseRestoreSchema.optional(),
});

/**
 * SLO alerting on the API's own metrics (AMP alerting rules, infra observability stack; requirement OBS-4). Read by the rule
 * builder in infra/lib/constructs/api-slo-rules.ts; each rule's runbook is docs/runbooks/<alert>.md.
 */
export const sloSchema = z.strictObject({
  /** p99 latency per route template above this many seconds for 10 minutes alerts (ApiLatencyP99High). */
  p99LatencySeconds: z.number().positive().max(60),
  /** Availability objective over 30 days (share of non-5xx answers); the error budget is 1 − this. */
  availabilityTarget: z.number().gt(0.9).lt(1),
  /** Share of a pod's DB pool in use above which the pool counts as saturated (ApiDbPoolSaturated). */
  dbPoolSaturation: z.number().gt(0).max(1),
});

export const observabilitySchema = z.strictObject({
  logRetentionDays,
  /** Where alarms notify; prod pages, other environments only notify (requirement OBS-4). */
  alarmEmail: z.email(),
  paging: z.boolean(),
  slo: sloSchema,
  /**
   * Share of root requests the API traces (a parent-based ratio sampler in the API's OpenTelemetry SDK, the only
   * place that samples): a request whose caller sent a sampled `traceparent` is traced regardless. Also prices
   * X-Ray in the cost model (traces recorded = API requests × this share).
   */
  traceSampleRatio: z.number().min(0).max(1),
  /**
   * Endpoint of the environment's Amazon Managed Grafana workspace, which AWS names after the workspace id: known
   * only after the observability stack's first deploy (its `Grafana` output). Until set, the Grafana Operator has no
   * instance to provision the generated dashboards into (they are rendered, and wait).
   */
  grafanaWorkspaceUrl: z
    .string()
    .regex(
      /^https:\/\/g-[a-z0-9]+\.grafana-workspace\.[a-z0-9-]+\.amazonaws\.com$/,
      'expected https://g-<id>.grafana-workspace.<region>.amazonaws.com',
    )
    .nullable(),
});

/**
 * Sign-in of the SPA's users (Amazon Cognito, infra users stack). The API accepts only access tokens of this
 * environment's user pool and app client; the SPA reads the issuer and client id from `/config.json`.
 */
export const authSchema = z.strictObject({
  /** Second factor (TOTP): `required` for every user, or `optional` (each user may enrol). Prod requires it. */
  mfa: z.enum(['required', 'optional']),
  /**
   * Cognito threat protection: `off`, `audit` (risk is scored and logged, nothing blocked) or `enforced` (risky
   * sign-ins challenged or blocked, compromised passwords refused). `audit` and `enforced` need the Plus plan.
   */
  threatProtection: z.enum(['off', 'audit', 'enforced']),
  /** Lifetime of access and ID tokens: Cognito accepts 5 minutes to 1 day. */
  accessTokenMinutes: z.number().int().min(5).max(1440),
  idTokenMinutes: z.number().int().min(5).max(1440),
  /** Lifetime of refresh tokens: Cognito accepts 1 hour to 10 years; this counts whole days. */
  refreshTokenDays: z.number().int().min(1).max(3650),
  /** Paths on `dns.appHost` the login may redirect to after sign-in and after sign-out (https only). */
  callbackPaths: z.array(z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'expected a path such as /auth/callback')).min(1),
  logoutPaths: z.array(z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'expected a path such as /')).min(1),
});

// ---------------------------------------------------------------------------------------------------------------
// Usage assumptions of the cost model (cost/). Owned by the cost model; nothing else reads them.
// The templates say WHAT exists (a NAT gateway, a distribution); these say HOW MUCH it is used in a month, so the
// model can show fixed and usage-driven cost apart. They are estimates to revise with real bills (docs/cost.md).
// ---------------------------------------------------------------------------------------------------------------
const usageAmount = z.number().nonnegative();

/** Services billed per account rather than per resource (GuardDuty, Security Hub, Config), per month. */
export const accountServicesUsageSchema = z.strictObject({
  /** CloudTrail management events GuardDuty analyses, millions. */
  guardDutyEventsMillions: usageAmount,
  /** VPC flow / DNS / EKS audit log volume GuardDuty analyses, GB. */
  guardDutyLogGB: usageAmount,
  /** AWS Config configuration items recorded. */
  configItems: usageAmount,
  /** AWS Config rule and conformance-pack evaluations. */
  configRuleEvaluations: usageAmount,
  /** Security Hub security checks run. */
  securityHubChecks: usageAmount,
});

/** An environment's monthly usage: what the templates cannot say. */
export const usageSchema = z.strictObject({
  /** Requests CloudFront serves (SPA + `/api/*`), millions; WAF inspects each one. */
  requestsMillions: usageAmount,
  /** Share of those requests that go to `/api/*` and so reach the ALB and its regional WAF (0..1). */
  apiRequestShare: z.number().min(0).max(1),
  /** Share of the `/api/*` requests that write (POST/PATCH/DELETE); the capacity model costs reads and writes apart. */
  apiWriteShare: z.number().min(0).max(1),
  /** Users who sign in at least once a month (Cognito bills per monthly active user). */
  monthlyActiveUsers: usageAmount,
  /** GB CloudFront sends to viewers. */
  cdnGB: usageAmount,
  /** GB processed by the NAT gateways (internet egress and AWS APIs without an endpoint). */
  natGB: usageAmount,
  /** GB processed by the interface VPC endpoints (ECR pulls, logs, secrets, STS, SSM). */
  endpointGB: usageAmount,
  /** GB ingested into CloudWatch Logs (control plane, flow logs, application); stored for the env's retention. */
  logGB: usageAmount,
  /** Metric samples ingested into Amazon Managed Prometheus, millions. */
  metricSamplesMillions: usageAmount,
  /** Nodes Karpenter keeps running beyond the managed node group (they are not in any template). */
  karpenter: z.strictObject({
    /** The typical instance type Karpenter picks for the baseline. */
    instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'expected an EC2 instance type such as m7g.large'),
    /** Node-hours per month of that type (730 = one node all month). */
    baselineNodeHours: usageAmount,
    /** Share of those node-hours on Spot (0..1); the rest is on-demand. */
    spotShare: z.number().min(0).max(1),
  }),
  /** The ALB the Load Balancer Controller creates from the Ingress (not in any template). */
  alb: z.strictObject({ count: z.number().int().nonnegative(), averageLcu: usageAmount }),
  /** RDS automated backup storage in total, GB; the amount up to the allocated storage is free. */
  backupGB: usageAmount,
  /** Snapshot copies kept in the DR region, GB (requirement DB-2). */
  drSnapshotGB: usageAmount,
  /** GB copied to the DR region per month (cross-region transfer). */
  drCopyGB: usageAmount,
  /** GB stored in S3 (SPA assets, logs buckets). */
  s3StorageGB: usageAmount,
  /** GB of images stored in ECR. */
  ecrStorageGB: usageAmount,
  /** Route 53 standard queries (alias queries to CloudFront are free), millions. */
  dnsQueriesMillions: usageAmount,
  /** SQS requests (Karpenter interruption queue polling), millions. */
  sqsRequestsMillions: usageAmount,
  /** KMS API requests (decrypts by logs, secrets, EBS, RDS), millions. */
  kmsRequestsMillions: usageAmount,
  /** Secrets Manager API calls (External Secrets refreshes), millions. */
  secretsApiCallsMillions: usageAmount,
  /** Managed Grafana users (active in the month). */
  grafanaEditors: z.number().int().nonnegative(),
  grafanaViewers: z.number().int().nonnegative(),
  accountServices: accountServicesUsageSchema,
});

/** Usage of the central accounts (foundations, security, logArchive): logs, storage and the per-account services. */
export const centralAccountUsageSchema = z.strictObject({
  logGB: usageAmount,
  /** How long the central accounts keep CloudWatch Logs (their stored volume is priced over this period). */
  logRetentionDays,
  s3StorageGB: usageAmount,
  accountServices: accountServicesUsageSchema,
});

/** The cost model's organization-wide settings. */
export const costModelSchema = z.strictObject({
  /** Budgets are the model's estimate plus this margin (percent), rounded up to whole dollars. */
  budgetMarginPercent: z.number().min(0).max(500),
  centralAccounts: z.strictObject({
    foundations: centralAccountUsageSchema,
    security: centralAccountUsageSchema,
    logArchive: centralAccountUsageSchema,
  }),
});

export const environmentSchema = z
  .strictObject({
    name: z.enum(['dev', 'staging', 'prod']),
    account: z.strictObject({ id: accountId, email: z.email() }),
    region: awsRegion,
    drRegion: awsRegion,
    /** Overrides of the organization's default cost tags (e.g. another owner). */
    tags: tagsSchema.partial().default({}),
    network: networkSchema,
    dns: dnsSchema,
    cluster: clusterSchema,
    api: apiWorkloadSchema,
    database: databaseSchema,
    observability: observabilitySchema,
    auth: authSchema,
    /** Monthly usage assumptions of the cost model (see the block above). */
    usage: usageSchema,
    /** Endpoints, off-hours schedule and the reasons for every costlier choice (cost-policy-schema.ts). */
    costPolicy: costPolicySchema,
  })
  .superRefine((env, ctx) => {
    if (env.region === env.drRegion) {
      ctx.addIssue({ code: 'custom', path: ['drRegion'], message: 'must differ from region' });
    }
    const nodes = env.cluster.systemNodes;
    if (!(nodes.minSize <= nodes.desiredSize && nodes.desiredSize <= nodes.maxSize)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster', 'systemNodes'],
        message: 'expected minSize <= desiredSize <= maxSize',
      });
    }
    if (env.costPolicy.offHours.systemNodesAtNight > nodes.minSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['costPolicy', 'offHours', 'systemNodesAtNight'],
        message: `must not exceed cluster.systemNodes.minSize (${nodes.minSize})`,
      });
    }
    if (env.api.minReplicas > env.api.maxReplicas) {
      ctx.addIssue({ code: 'custom', path: ['api', 'minReplicas'], message: 'must not exceed api.maxReplicas' });
    }
    if (env.database.maxAllocatedStorageGiB < env.database.allocatedStorageGiB) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'maxAllocatedStorageGiB'],
        message: 'must be at least database.allocatedStorageGiB',
      });
    }
    const { crossRegionCopy, drVaultLock } = env.database;
    if (crossRegionCopy.enabled && drVaultLock === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'drVaultLock'],
        message: 'required when database.crossRegionCopy.enabled is true (the DR vault is locked)',
      });
    }
    // A copy kept for less than the lock's minimum would be refused by the locked vault.
    if (drVaultLock && drVaultLock.minRetentionDays > crossRegionCopy.retentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'drVaultLock', 'minRetentionDays'],
        message: `must not exceed database.crossRegionCopy.retentionDays (${crossRegionCopy.retentionDays})`,
      });
    }
    // A malformed ARN has its own issue already (no region to compare).
    const snapshotRegion = snapshotArnRegion(env.database.restore?.snapshot?.snapshotArn ?? '');
    if (snapshotRegion !== undefined && snapshotRegion !== env.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'restore', 'snapshot', 'snapshotArn'],
        message: `must be in the environment's region ${env.region} (copy the snapshot there first)`,
      });
    }
    // A choice that costs more than the cheaper option must say why (the cost report prints the reason).
    const reasons = env.costPolicy.reasons;
    const costlier: [boolean, keyof typeof reasons, string][] = [
      [env.network.nat.count > 1, 'natPerAz', 'network.nat.count is one per AZ'],
      [env.network.nat.provider === 'gateway', 'natGateway', 'network.nat.provider is gateway, not instance'],
      [env.database.multiAz, 'multiAzDatabase', 'database.multiAz is true'],
      [env.costPolicy.interfaceEndpoints.azCount > 1, 'endpointsInEveryAz', 'interface endpoints span several AZs'],
      [!env.costPolicy.offHours.enabled, 'alwaysOn', 'costPolicy.offHours.enabled is false'],
    ];
    for (const [costsMore, key, what] of costlier) {
      if (costsMore && !reasons[key]) {
        ctx.addIssue({ code: 'custom', path: ['costPolicy', 'reasons', key], message: `required: ${what}, say why` });
      }
    }
    // One EC2 instance that AWS neither scales nor replaces would be prod's egress: the spec asks for NAT that survives.
    if (env.name === 'prod' && env.network.nat.provider !== 'gateway') {
      ctx.addIssue({
        code: 'custom',
        path: ['network', 'nat', 'provider'],
        message: 'must be "gateway" in prod (a NAT instance is not highly available and is patched by hand)',
      });
    }
    // Production users hold real data: a stolen password alone must not be enough.
    if (env.name === 'prod' && env.auth.mfa !== 'required') {
      ctx.addIssue({ code: 'custom', path: ['auth', 'mfa'], message: 'must be "required" in prod' });
    }
    for (const host of [env.dns.appHost, env.dns.apiHost, env.dns.originHost]) {
      if (host !== env.dns.zoneName && !host.endsWith(`.${env.dns.zoneName}`)) {
        ctx.addIssue({ code: 'custom', path: ['dns'], message: `${host} is not inside zone ${env.dns.zoneName}` });
      }
    }
  });

export const organizationSchema = z.strictObject({
  /** Apex domain; each environment has a delegated sub-zone. */
  apexDomain: hostname,
  primaryRegion: awsRegion,
  drRegion: awsRegion,
  /** Default cost-allocation tags; an environment may override `owner`/`costCenter`. */
  tags: tagsSchema,
  /**
   * The management account (spec: "foundations"), the security account (delegated admin) and the log-archive account
   * (the organization trail's bucket and key, Config delivery, access logs: a member account, so the SCPs protect it).
   */
  accounts: z.strictObject({
    foundations: z.strictObject({ id: accountId, email: z.email() }),
    security: z.strictObject({ id: accountId, email: z.email() }),
    logArchive: z.strictObject({ id: accountId, email: z.email() }),
  }),
  /** Where the code lives: Argo CD syncs from it, GitHub OIDC trusts it. */
  git: z.strictObject({
    repoUrl: z.url(),
    githubOwner: z.string().min(1),
    githubRepo: z.string().min(1),
    branch: z.string().min(1),
  }),
  /** Settings of the cost model (cost/): budget margin and the central accounts' usage. */
  costModel: costModelSchema,
  /** Organization foundations: OUs, guardrail settings, log archive, Identity Center, budgets. */
  foundations: foundationsSchema,
});

export type Tags = z.infer<typeof tagsSchema>;
export type Usage = z.infer<typeof usageSchema>;
export type AuthConfig = z.infer<typeof authSchema>;
export type DatabaseRestore = z.infer<typeof databaseRestoreSchema>;
export type CentralAccountUsage = z.infer<typeof centralAccountUsageSchema>;
export type AccountServicesUsage = z.infer<typeof accountServicesUsageSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type OrganizationConfig = z.infer<typeof organizationSchema>;
export type EnvironmentName = EnvironmentConfig['name'];

function isNetworkAddress(value: string): boolean {
  const [address, prefix] = value.split('/');
  if (address === undefined || prefix === undefined) return false;
  const bits = Number(prefix);
  const int = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const hostBits = 32 - bits;
  return hostBits === 0 || int % 2 ** hostBits === 0;
}
