/**
 * The request path: a user's browser through CloudFront and its WAF to the SPA bucket (OAC) and, for `/api/*`, to
 * the ALB (origin-verify header) and the API pods on EKS, then to RDS and its DR copy; the sign-in path (Cognito) and
 * the telemetry path (AMP, CloudWatch Logs, X-Ray). Every box is a resource read from the synthesized templates
 * (hosts, ports, Multi-AZ, AZs, copy region), the API's port from the rendered manifests, replica bounds and trace
 * sampling from config; the generator stops when a drawn resource is missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedEnvironment } from '@innovate/config';
import { parseAllDocuments } from 'yaml';
import type { Diagram } from './diagram.ts';
import type { Resource, SynthesizedApp } from './synthesized-app.ts';

/** The environment drawn: prod has every part of the path (Multi-AZ database, DR copy). */
const DRAWN_ENVIRONMENT = 'prod';

/** What one environment's request path is made of, as the templates, the render and config say. */
export interface RequestPathFacts {
  env: string;
  edgeStack: string;
  region: string;
  hosts: string[];
  originHost: string;
  originHeader: string;
  minTls: string;
  httpVersion: string;
  edgeWafRules: string;
  spaPaths: string[];
  apiPaths: string[];
  albPort: number;
  albSource: string;
  regionalWafDefault: string;
  clusterName: string;
  kubernetesVersion: string;
  systemNodes: string;
  karpenterQueue: boolean;
  azs: string[];
  vpcCidr: string;
  podPort: number;
  replicas: string;
  databasePort: number;
  database: string;
  multiAz: boolean;
  drCopy: { region: string; vault: string; days: number } | undefined;
  signIn: string;
  mfa: string;
  prometheus: boolean;
  containerLogGroup: string;
  tracing: string;
}

// biome-ignore lint/suspicious/noExplicitAny: template values are JSON; this narrows one intrinsic.
function getAttTarget(value: any): string | undefined {
  return Array.isArray(value?.['Fn::GetAtt']) ? value['Fn::GetAtt'][0] : undefined;
}

function tag(resource: Resource, key: string): string | undefined {
  return (resource.Properties.Tags as { Key: string; Value: string }[] | undefined)?.find((t) => t.Key === key)?.Value;
}

/** The API container's port in the environment's rendered manifests (what the ALB targets, target-type ip). */
function apiContainerPort(renderedDir: string, env: ResolvedEnvironment): number {
  const file = join(renderedDir, 'components', env.name, 'api', 'api.yaml');
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const object = doc.toJS() as {
      kind?: string;
      spec?: { template?: { spec?: { containers?: { name: string; ports?: { containerPort: number }[] }[] } } };
    } | null;
    if (object?.kind !== 'Rollout' && object?.kind !== 'Deployment') continue;
    const port = object.spec?.template?.spec?.containers?.find((c) => c.name === 'api')?.ports?.[0]?.containerPort;
    if (port) return port;
  }
  throw new Error(`architecture-diagram: ${file} has no api container with a port`);
}

export function requestPathFacts(app: SynthesizedApp, env: ResolvedEnvironment, renderedDir: string): RequestPathFacts {
  const stack = (part: string) => `${env.names.prefix}-${part}`;

  const distribution = app.only(stack('edge'), 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFront origin and behavior JSON.
  const origins: any[] = distribution.Origins;
  const spaOrigin = origins.find((origin) => origin.OriginAccessControlId);
  const apiOrigin = origins.find((origin) => origin.CustomOriginConfig);
  if (!spaOrigin || !apiOrigin)
    throw new Error(`architecture-diagram: ${stack('edge')} lacks the S3 (OAC) or API origin`);
  const spaBucket = getAttTarget(spaOrigin.DomainName);
  app.only(stack('edge'), 'AWS::S3::Bucket', (bucket) => bucket.logicalId === spaBucket);
  // biome-ignore lint/suspicious/noExplicitAny: CloudFront behavior JSON.
  const behaviors: any[] = distribution.CacheBehaviors ?? [];
  const pathsTo = (origin: { Id: string }) => [
    ...(distribution.DefaultCacheBehavior.TargetOriginId === origin.Id ? ['default'] : []),
    ...behaviors.filter((b) => b.TargetOriginId === origin.Id).map((b) => b.PathPattern as string),
  ];
  const edgeWaf = app.only(stack('edge'), 'AWS::WAFv2::WebACL', (acl) => acl.Properties.Scope === 'CLOUDFRONT');
  // biome-ignore lint/suspicious/noExplicitAny: WAF rule JSON.
  const edgeRules: any[] = edgeWaf.Properties.Rules;
  const rate = edgeRules.find((rule) => rule.Statement.RateBasedStatement)?.Statement.RateBasedStatement.Limit;
  const managed = edgeRules.filter((rule) => rule.Statement.ManagedRuleGroupStatement).length;

  const albIngress = app.only(
    stack('cluster'),
    'AWS::EC2::SecurityGroupIngress',
    (rule) => rule.Properties.SourcePrefixListId !== undefined,
  ).Properties;
  const regionalWaf = app.only(stack('cluster'), 'AWS::WAFv2::WebACL', (acl) => acl.Properties.Scope === 'REGIONAL');
  const cluster = app.only(stack('cluster'), 'AWS::EKS::Cluster').Properties;
  const nodegroup = app.only(stack('cluster'), 'AWS::EKS::Nodegroup').Properties;
  const karpenterQueue = app
    .all(stack('cluster'), 'AWS::SQS::Queue')
    .some((queue) => queue.Properties.QueueName === env.names.karpenterInterruptionQueueName);
  const databaseIngress = app.only(
    stack('cluster'),
    'AWS::EC2::SecurityGroupIngress',
    (rule) => getAttTarget(rule.Properties.SourceSecurityGroupId) !== undefined && rule.Properties.FromPort === 5432,
  ).Properties;
  const podIdentities = app
    .all(stack('cluster'), 'AWS::EKS::PodIdentityAssociation')
    .map((association) => association.Properties.ServiceAccount as string);

  const { key, value } = env.names.karpenterDiscoveryTag;
  const azs = app
    .all(stack('network'), 'AWS::EC2::Subnet')
    .filter((subnet) => tag(subnet, key) === value)
    .map((subnet) => subnet.Properties.AvailabilityZone as string)
    .sort();
  if (azs.length !== env.network.azCount) {
    throw new Error(
      `architecture-diagram: ${stack('network')} has node subnets in ${azs.length} AZs, config network.azCount says ${env.network.azCount}`,
    );
  }
  const vpc = app.only(stack('network'), 'AWS::EC2::VPC').Properties;

  const database = app.only(stack('data'), 'AWS::RDS::DBInstance').Properties;
  const plan = app.only(stack('data'), 'AWS::Backup::BackupPlan').Properties.BackupPlan;
  // biome-ignore lint/suspicious/noExplicitAny: Backup plan JSON.
  const copy = (plan.BackupPlanRule as any[]).flatMap((rule) => rule.CopyActions ?? [])[0];
  const copyArn = copy ? String(copy.DestinationBackupVaultArn).split(':') : undefined;

  const userPool = app.only(stack('users'), 'AWS::Cognito::UserPool').Properties;
  const domain = app.only(stack('users'), 'AWS::Cognito::UserPoolDomain').Properties.Domain as string;

  const prometheus = app.all(stack('observability'), 'AWS::APS::Workspace').length === 1;
  const containerLogs = app
    .all(stack('observability'), 'AWS::Logs::LogGroup')
    .map((group) => group.Properties.LogGroupName as string)
    .find((name) => name.endsWith('/eks/containers'));
  const grafana = app.only(stack('observability'), 'AWS::Grafana::Workspace').Properties;
  const sendsTraces = podIdentities.includes(env.names.podIdentityServiceAccounts.adotCollector.serviceAccount);
  const shipsLogs = podIdentities.includes(env.names.podIdentityServiceAccounts.fluentBit.serviceAccount);
  if (!containerLogs || !shipsLogs || !sendsTraces || !grafana.DataSources.includes('XRAY')) {
    throw new Error(
      `architecture-diagram: ${env.name}'s telemetry path is incomplete (container log group, Fluent Bit or ADOT identity, Grafana X-Ray source)`,
    );
  }

  return {
    env: env.name,
    edgeStack: stack('edge'),
    region: app.stack(stack('edge')).region,
    hosts: distribution.Aliases,
    originHost: apiOrigin.DomainName,
    originHeader: apiOrigin.OriginCustomHeaders[0].HeaderName,
    minTls: distribution.ViewerCertificate.MinimumProtocolVersion,
    httpVersion: distribution.HttpVersion,
    edgeWafRules: `rate limit ${rate}/5 min per IP, ${managed} managed rule groups`,
    spaPaths: pathsTo(spaOrigin),
    apiPaths: pathsTo(apiOrigin),
    albPort: albIngress.FromPort,
    albSource: 'CloudFront origin-facing prefix list only',
    regionalWafDefault: Object.keys(regionalWaf.Properties.DefaultAction)[0]?.toLowerCase() ?? '',
    clusterName: cluster.Name,
    kubernetesVersion: cluster.Version,
    systemNodes: `${nodegroup.InstanceTypes.join(', ')} ×${nodegroup.ScalingConfig.MinSize}–${nodegroup.ScalingConfig.MaxSize}`,
    karpenterQueue,
    azs,
    vpcCidr: vpc.CidrBlock,
    podPort: apiContainerPort(renderedDir, env),
    replicas: `${env.api.minReplicas}–${env.api.maxReplicas}`,
    databasePort: databaseIngress.FromPort,
    database: `${database.Engine === 'postgres' ? 'PostgreSQL' : database.Engine} ${database.EngineVersion}, ${database.DBInstanceClass}`,
    multiAz: database.MultiAZ === true,
    drCopy:
      copy && copyArn
        ? { region: copyArn[3] ?? '', vault: copyArn.at(-1) ?? '', days: copy.Lifecycle.DeleteAfterDays }
        : undefined,
    signIn: `${domain}.auth.${app.stack(stack('users')).region}.amazoncognito.com`,
    mfa: String(userPool.MfaConfiguration).toLowerCase(),
    prometheus,
    containerLogGroup: containerLogs,
    tracing: `${env.observability.traceSampleRatio * 100}% of requests`,
  };
}

export function requestPath(app: SynthesizedApp, environments: ResolvedEnvironment[], renderedDir: string): Diagram {
  const all = environments.map((env) => requestPathFacts(app, env, renderedDir));
  const f = all.find((facts) => facts.env === DRAWN_ENVIRONMENT);
  if (!f) throw new Error(`architecture-diagram: no ${DRAWN_ENVIRONMENT} environment in config`);
  const mermaid = [
    'flowchart LR',
    '  user(["User\'s browser"])',
    `  subgraph edge["Edge: CloudFront (global), stack ${f.edgeStack} in ${f.region}"]`,
    `    cloudfront["<b>CloudFront</b><br/>${f.hosts.join('<br/>')}<br/>${f.minTls}, ${f.httpVersion}"]`,
    `    edgeWaf{{"<b>WAF</b> (CLOUDFRONT)<br/>${f.edgeWafRules}"}}`,
    '  end',
    '  spa[("<b>S3</b> SPA bucket<br/>private, read only through OAC")]',
    `  subgraph region["${f.region}: VPC ${f.vpcCidr} over ${f.azs.length} AZs"]`,
    `    alb["<b>ALB</b> (Load Balancer Controller)<br/>${f.originHost}:${f.albPort}<br/>SG: ${f.albSource}"]`,
    `    regionalWaf{{"<b>WAF</b> (REGIONAL)<br/>default ${f.regionalWafDefault}; allows only ${f.originHeader}"}}`,
    `    subgraph eks["EKS ${f.clusterName}, Kubernetes ${f.kubernetesVersion}, private endpoint"]`,
    `      pods["<b>API pods</b> :${f.podPort}<br/>${f.replicas} replicas<br/>${f.karpenterQueue ? 'Karpenter nodes' : 'nodes'} in ${f.azs.join(', ')}<br/>system nodes ${f.systemNodes}"]`,
    '    end',
    `    rds[("<b>RDS</b> ${f.database}<br/>${f.multiAz ? `Multi-AZ (standby in another AZ)` : 'single-AZ'}")]`,
    '  end',
    ...(f.drCopy
      ? [
          `  dr[("<b>${f.drCopy.region}</b><br/>backup vault ${f.drCopy.vault}<br/>nightly copy, kept ${f.drCopy.days} days")]`,
        ]
      : []),
    `  cognito["<b>Cognito</b> managed login<br/>${f.signIn}<br/>MFA ${f.mfa}"]`,
    '  subgraph telemetry["Telemetry"]',
    ...(f.prometheus ? ['    amp["<b>AMP</b> workspace<br/>metrics, alert rules"]'] : []),
    `    logs["<b>CloudWatch Logs</b><br/>${f.containerLogGroup}"]`,
    `    xray["<b>X-Ray</b><br/>traces, ${f.tracing}"]`,
    '  end',
    `  user -- "HTTPS" --> cloudfront`,
    '  edgeWaf -.- cloudfront',
    `  cloudfront -- "${f.spaPaths.join(', ')} (OAC, SigV4)" --> spa`,
    `  cloudfront -- "${f.apiPaths.join(', ')}: HTTPS + ${f.originHeader}" --> alb`,
    '  regionalWaf -.- alb',
    `  alb -- "target-type ip :${f.podPort}" --> pods`,
    `  pods -- "${f.databasePort}, TLS" --> rds`,
    ...(f.drCopy ? ['  rds -. "AWS Backup copy" .-> dr'] : []),
    `  user -- "sign-in (OIDC code + PKCE)" --> cognito`,
    '  pods -. "verify tokens (JWKS)" .-> cognito',
    ...(f.prometheus ? ['  pods -. "metrics (ADOT)" .-> amp'] : []),
    '  pods -. "logs (Fluent Bit)" .-> logs',
    '  pods -. "traces (ADOT)" .-> xray',
  ];

  const row = (label: string, cell: (facts: RequestPathFacts) => string) =>
    `| ${label} | ${all.map((facts) => cell(facts)).join(' | ')} |`;
  const after = [
    `The drawing is ${DRAWN_ENVIRONMENT}'s; solid arrows carry requests, dotted ones tokens, telemetry and backups. What differs per environment (from the same templates and config):`,
    '',
    `| | ${all.map((facts) => facts.env).join(' | ')} |`,
    `| --- | ${all.map(() => '---').join(' | ')} |`,
    row('hosts (CloudFront aliases)', (facts) => facts.hosts.join(', ')),
    row('API origin (ALB)', (facts) => `${facts.originHost}:${facts.albPort}`),
    row('AZs of the API nodes', (facts) => facts.azs.join(', ')),
    row('API replicas', (facts) => facts.replicas),
    row('database', (facts) => `${facts.database}, ${facts.multiAz ? 'Multi-AZ' : 'single-AZ'}`),
    row('DR copy', (facts) => (facts.drCopy ? `${facts.drCopy.region}, ${facts.drCopy.days} days` : 'none')),
    row('sign-in MFA', (facts) => facts.mfa),
    row('traces sampled', (facts) => facts.tracing),
  ];
  return { name: 'request-path', title: `Request path of ${DRAWN_ENVIRONMENT}`, mermaid, after };
}
