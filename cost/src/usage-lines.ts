/**
 * Usage-driven lines of one account: the config's usage assumptions priced, each only when the templates hold the
 * resource that incurs it (no NAT gateway, no NAT data line). Usage declared in config that no resource can incur is
 * returned as `unapplied`, so an assumption is never silently dropped either.
 */
import type { AccountContext } from './accounts.ts';
import { type CostLine, type LineOwner, priced } from './lines.ts';
import type { PriceTable, Region } from './price-table.ts';
import { computeDayShare } from './pricers/node-schedule.ts';
import { karpenterRootVolume } from './rendered-nodes.ts';
import type { CfnResource } from './synth.ts';

export interface AccountResource {
  stack: string;
  region: Region;
  logicalId: string;
  resource: CfnResource;
}

export interface UsageLines {
  lines: CostLine[];
  /** Usage fields with a non-zero value that no resource in the account's templates incurs. */
  unapplied: string[];
}

const LOG_TYPES = ['AWS::Logs::LogGroup', 'AWS::EC2::FlowLog', 'AWS::WAFv2::LoggingConfiguration', 'AWS::EKS::Cluster'];

export function usageLines(
  account: AccountContext,
  resources: readonly AccountResource[],
  prices: PriceTable,
): UsageLines {
  const usage = account.usage;
  const has = (...types: string[]) => resources.some((r) => types.includes(r.resource.Type));
  const lines: CostLine[] = [];
  const unapplied: string[] = [];
  const owner = (type: string, region: Region = account.primaryRegion): LineOwner => ({
    account: account.label,
    region,
    stack: '(usage)',
    logicalId: '-',
    type,
  });
  /** Adds the lines when the account has the resource; otherwise records non-zero usage as unapplied. */
  const when = (present: boolean, fields: Array<[string, number]>, add: () => void) => {
    if (present) add();
    else unapplied.push(...fields.filter(([, value]) => value > 0).map(([name]) => name));
  };
  const hours = prices.hoursPerMonth;

  when(has('AWS::EC2::NatGateway'), [['natGB', usage.natGB]], () => {
    lines.push(
      priced(prices, owner('AWS::EC2::NatGateway'), 'NAT data processed', 'usage', 'vpc.nat-gateway.gb', usage.natGB),
    );
  });
  const interfaceEndpoint = resources.some(
    (r) => r.resource.Type === 'AWS::EC2::VPCEndpoint' && r.resource.Properties?.VpcEndpointType === 'Interface',
  );
  when(interfaceEndpoint, [['endpointGB', usage.endpointGB]], () => {
    lines.push(
      priced(
        prices,
        owner('AWS::EC2::VPCEndpoint'),
        'interface endpoint data processed',
        'usage',
        'privatelink.interface-endpoint.gb',
        usage.endpointGB,
      ),
    );
  });
  const karpenter = usage.karpenter;
  when(
    has('AWS::EKS::Cluster'),
    [
      ['karpenter.baselineNodeHours', karpenter.baselineNodeHours],
      ['alb.count', usage.alb.count],
    ],
    () => {
      // Off-hours, the API is at zero replicas and Karpenter removes the nodes it ran on: the baseline runs only in
      // the share of the week the template's node schedule keeps the day size (pricers/node-schedule.ts).
      const dayShare = computeDayShare(resources);
      const baselineHours = karpenter.baselineNodeHours * dayShare;
      const spotHours = baselineHours * karpenter.spotShare;
      const onDemandHours = baselineHours - spotHours;
      const scheduled = dayShare < 1 ? `, ${Math.round(dayShare * 100)}% of hours, off-hours schedule` : '';
      const nodes = owner('Karpenter nodes');
      lines.push(
        priced(
          prices,
          nodes,
          `Karpenter ${karpenter.instanceType} on-demand${scheduled}`,
          'usage',
          `ec2.on-demand.${karpenter.instanceType}`,
          onDemandHours,
        ),
      );
      lines.push(
        priced(
          prices,
          nodes,
          `Karpenter ${karpenter.instanceType} spot${scheduled}`,
          'usage',
          `ec2.spot.${karpenter.instanceType}`,
          spotHours,
        ),
      );
      // Root volumes of those nodes, as the rendered EC2NodeClass requests them.
      const volume = account.env ? karpenterRootVolume(account.env.names.renderedManifestsPath) : undefined;
      if (volume) {
        lines.push(
          priced(
            prices,
            nodes,
            `Karpenter node root volumes (${volume.gib} GiB ${volume.volumeType}, ${volume.from})`,
            'usage',
            `ebs.${volume.volumeType}.gb-month`,
            (baselineHours / hours) * volume.gib,
          ),
        );
      } else if (karpenter.baselineNodeHours > 0) unapplied.push('karpenter root volumes (no EC2NodeClass rendered)');
      const alb = owner('ALB (Load Balancer Controller)');
      lines.push(priced(prices, alb, `${usage.alb.count} ALB hours`, 'usage', 'elb.alb.hour', usage.alb.count * hours));
      lines.push(
        priced(
          prices,
          alb,
          `${usage.alb.averageLcu} LCU on average`,
          'usage',
          'elb.alb.lcu-hour',
          usage.alb.count * usage.alb.averageLcu * hours,
        ),
      );
    },
  );
  when(
    has('AWS::CloudFront::Distribution'),
    [
      ['requestsMillions', usage.requestsMillions],
      ['cdnGB', usage.cdnGB],
    ],
    () => {
      const cdn = owner('AWS::CloudFront::Distribution');
      lines.push(
        priced(
          prices,
          cdn,
          'CloudFront HTTPS requests',
          'usage',
          'cloudfront.https-requests.10k',
          usage.requestsMillions * 100,
        ),
      );
      lines.push(priced(prices, cdn, 'CloudFront data out', 'usage', 'cloudfront.data-out.gb', usage.cdnGB));
    },
  );
  when(has('AWS::CloudFront::Function'), [['requestsMillions', usage.requestsMillions]], () => {
    // Upper bound: as if the function ran on every viewer request.
    lines.push(
      priced(
        prices,
        owner('AWS::CloudFront::Function'),
        'CloudFront Functions invocations',
        'usage',
        'cloudfront.functions.million',
        usage.requestsMillions,
      ),
    );
  });
  // A CloudFront-scope web ACL inspects every request; a regional one (on the ALB) only those to /api/*.
  const webAcls = resources.filter((r) => r.resource.Type === 'AWS::WAFv2::WebACL');
  when(webAcls.length > 0, [['requestsMillions', usage.requestsMillions]], () => {
    for (const acl of webAcls) {
      const regional = acl.resource.Properties?.Scope === 'REGIONAL';
      const millions = regional ? usage.requestsMillions * usage.apiRequestShare : usage.requestsMillions;
      lines.push(
        priced(
          prices,
          { ...owner('AWS::WAFv2::WebACL', acl.region), logicalId: acl.logicalId },
          `WAF requests inspected (${regional ? 'regional, /api/* share' : 'CloudFront, all requests'})`,
          'usage',
          'waf.requests.million',
          millions,
        ),
      );
    }
  });
  when(has(...LOG_TYPES), [['logGB', usage.logGB]], () => {
    const logs = owner('AWS::Logs::LogGroup');
    lines.push(priced(prices, logs, 'CloudWatch Logs ingested', 'usage', 'cloudwatch.logs.ingest.gb', usage.logGB));
    // Steady state: a month's volume is kept for the retention period.
    const storedGB = (usage.logGB * account.logRetentionDays) / 30;
    lines.push(
      priced(
        prices,
        logs,
        `CloudWatch Logs stored (${account.logRetentionDays} days)`,
        'usage',
        'cloudwatch.logs.storage.gb-month',
        storedGB,
      ),
    );
  });
  when(has('AWS::APS::Workspace'), [['metricSamplesMillions', usage.metricSamplesMillions]], () => {
    lines.push(
      priced(
        prices,
        owner('AWS::APS::Workspace'),
        'AMP samples ingested',
        'usage',
        'amp.samples.10m',
        usage.metricSamplesMillions / 10,
      ),
    );
  });
  when(
    has('AWS::Grafana::Workspace'),
    [
      ['grafanaEditors', usage.grafanaEditors],
      ['grafanaViewers', usage.grafanaViewers],
    ],
    () => {
      const grafana = owner('AWS::Grafana::Workspace');
      lines.push(priced(prices, grafana, 'Grafana editors', 'usage', 'grafana.editor.month', usage.grafanaEditors));
      lines.push(priced(prices, grafana, 'Grafana viewers', 'usage', 'grafana.viewer.month', usage.grafanaViewers));
    },
  );
  // Traces reach X-Ray from the collector in the cluster; the API sampled them (config traceSampleRatio), so the
  // volume is API requests × that share. Nothing else in an environment sends traces.
  const sampleRatio = account.env?.observability.traceSampleRatio;
  if (sampleRatio !== undefined && has('AWS::EKS::Cluster')) {
    const tracesMillions = usage.requestsMillions * usage.apiRequestShare * sampleRatio;
    lines.push(
      priced(
        prices,
        owner('X-Ray traces'),
        `X-Ray traces recorded (${sampleRatio} of API requests sampled)`,
        'usage',
        'xray.traces-recorded.million',
        tracesMillions,
      ),
    );
  }
  const databases = resources.filter((r) => r.resource.Type === 'AWS::RDS::DBInstance');
  // Automated backups (and their free allowance) belong to the primary instances, not to read replicas.
  const primaries = databases.filter((r) => r.resource.Properties?.SourceDBInstanceIdentifier === undefined);
  when(
    databases.length > 0,
    [
      ['backupGB', usage.backupGB],
      ['drSnapshotGB', usage.drSnapshotGB],
      ['drCopyGB', usage.drCopyGB],
    ],
    () => {
      // Backup storage up to the provisioned storage of the primary instances is free.
      const freeGB = primaries.reduce((total, r) => total + Number(r.resource.Properties?.AllocatedStorage ?? 0), 0);
      const db = owner('AWS::RDS::DBInstance');
      lines.push(
        priced(
          prices,
          db,
          `RDS backup storage beyond the free ${freeGB} GB`,
          'usage',
          'rds.backup.gb-month',
          Math.max(0, usage.backupGB - freeGB),
        ),
      );
      if (account.env?.database.crossRegionCopy.enabled) {
        lines.push(
          priced(
            prices,
            owner('DR copies', account.primaryRegion),
            'snapshot copy transfer to the DR region',
            'usage',
            'data-transfer.inter-region.gb',
            usage.drCopyGB,
          ),
        );
        lines.push(
          priced(
            prices,
            owner('DR copies', account.drRegion),
            'snapshot copies stored in the DR region',
            'usage',
            'rds.backup.gb-month',
            usage.drSnapshotGB,
          ),
        );
      } else {
        unapplied.push(...(['drSnapshotGB', 'drCopyGB'] as const).filter((k) => usage[k] > 0));
      }
    },
  );
  when(has('AWS::S3::Bucket'), [['s3StorageGB', usage.s3StorageGB]], () => {
    lines.push(
      priced(
        prices,
        owner('AWS::S3::Bucket'),
        'S3 Standard storage',
        'usage',
        's3.standard.gb-month',
        usage.s3StorageGB,
      ),
    );
  });
  when(has('AWS::ECR::Repository'), [['ecrStorageGB', usage.ecrStorageGB]], () => {
    lines.push(
      priced(
        prices,
        owner('AWS::ECR::Repository'),
        'ECR image storage',
        'usage',
        'ecr.storage.gb-month',
        usage.ecrStorageGB,
      ),
    );
  });
  when(has('AWS::Route53::HostedZone'), [['dnsQueriesMillions', usage.dnsQueriesMillions]], () => {
    lines.push(
      priced(
        prices,
        owner('AWS::Route53::HostedZone'),
        'Route 53 standard queries',
        'usage',
        'route53.queries.million',
        usage.dnsQueriesMillions,
      ),
    );
  });
  when(has('AWS::SQS::Queue'), [['sqsRequestsMillions', usage.sqsRequestsMillions]], () => {
    lines.push(
      priced(
        prices,
        owner('AWS::SQS::Queue'),
        'SQS requests',
        'usage',
        'sqs.requests.million',
        usage.sqsRequestsMillions,
      ),
    );
  });
  when(has('AWS::KMS::Key'), [['kmsRequestsMillions', usage.kmsRequestsMillions]], () => {
    lines.push(
      priced(
        prices,
        owner('AWS::KMS::Key'),
        'KMS requests',
        'usage',
        'kms.requests.10k',
        usage.kmsRequestsMillions * 100,
      ),
    );
  });
  when(has('AWS::SecretsManager::Secret'), [['secretsApiCallsMillions', usage.secretsApiCallsMillions]], () => {
    lines.push(
      priced(
        prices,
        owner('AWS::SecretsManager::Secret'),
        'Secrets Manager API calls',
        'usage',
        'secretsmanager.api-calls.10k',
        usage.secretsApiCallsMillions * 100,
      ),
    );
  });
  return { lines, unapplied: [...new Set(unapplied)] };
}
