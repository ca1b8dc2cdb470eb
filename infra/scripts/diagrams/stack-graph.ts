/**
 * The stack graph: one environment's stacks (notable resources, region, deploy dependencies) and a table of resource
 * counts per stack and environment.
 */
import type { Diagram } from './diagram.ts';
import type { SynthesizedApp } from './synthesized-app.ts';

/** The environment drawn: prod has every stack (including the DR region's). */
const DRAWN_ENVIRONMENT = 'prod';
/** The organization's own accounts (management, security, log archive) are not environments of the table. */
const CENTRAL = ['foundations', 'security', 'logarchive'];

/** Resource types shown inside a stack's box, with a short label; everything else is only counted. */
const NOTABLE: Record<string, string> = {
  'AWS::EC2::VPC': 'VPC',
  'AWS::EC2::NatGateway': 'NAT gateway',
  'AWS::EC2::VPCEndpoint': 'VPC endpoint',
  'AWS::EC2::FlowLog': 'flow log',
  'AWS::EC2::NetworkAcl': 'network ACL',
  'AWS::Route53::HostedZone': 'hosted zone',
  'AWS::CertificateManager::Certificate': 'ACM certificate',
  'AWS::SecretsManager::Secret': 'secret',
  'AWS::RDS::DBInstance': 'RDS PostgreSQL',
  'AWS::RDS::DBProxy': 'RDS Proxy',
  'AWS::Backup::BackupVault': 'backup vault',
  'AWS::Backup::BackupPlan': 'backup plan',
  'AWS::KMS::Key': 'KMS key',
  'AWS::EKS::Cluster': 'EKS cluster',
  'AWS::EKS::Nodegroup': 'managed node group',
  'AWS::EKS::Addon': 'EKS add-on',
  'AWS::EKS::PodIdentityAssociation': 'Pod Identity association',
  'AWS::SQS::Queue': 'SQS queue',
  'AWS::Events::Rule': 'EventBridge rule',
  'Custom::AWSCDK-EKS-HelmChart': 'Helm release',
  'AWS::WAFv2::WebACL': 'WAF web ACL',
  'AWS::CloudFront::Distribution': 'CloudFront distribution',
  'AWS::S3::Bucket': 'S3 bucket',
  'AWS::Route53::RecordSet': 'DNS record',
  'AWS::ECR::Repository': 'ECR repository',
  'AWS::IAM::OIDCProvider': 'OIDC provider',
  'AWS::Signer::SigningProfile': 'signing profile',
  'AWS::APS::Workspace': 'Prometheus workspace',
  'AWS::Grafana::Workspace': 'Grafana workspace',
  'AWS::SNS::Topic': 'SNS topic',
  'AWS::CloudWatch::Alarm': 'alarm',
  'AWS::XRay::SamplingRule': 'X-Ray sampling rule',
  'AWS::Cognito::UserPool': 'Cognito user pool',
  'AWS::Cognito::UserPoolClient': 'app client',
  'AWS::Cognito::UserPoolDomain': 'managed login domain',
  'AWS::SSM::Parameter': 'SSM parameter',
  'AWS::SSM::Document': 'Session Manager document',
};

export function stackGraph(app: SynthesizedApp): Diagram {
  const stacks = app.stacks;
  const drawn = stacks.filter((stack) => stack.env === DRAWN_ENVIRONMENT);
  const node = (id: string) => id.replaceAll('-', '_');
  const mermaid = ['flowchart LR'];
  for (const stack of drawn) {
    const items = [...stack.counts]
      .filter(([type]) => NOTABLE[type])
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, count]) => `${NOTABLE[type]}${count > 1 ? ` ×${count}` : ''}`);
    const label = [`<b>${stack.id}</b>`, `<i>${stack.region}, ${stack.total} resources</i>`, ...items].join('<br/>');
    mermaid.push(`  ${node(stack.id)}["${label}"]`);
  }
  for (const stack of drawn) {
    for (const dep of [...stack.dependencies].sort()) mermaid.push(`  ${node(dep)} --> ${node(stack.id)}`);
  }

  const parts = [...new Set(stacks.filter((s) => !CENTRAL.includes(s.env)).map((s) => s.part))];
  const envs = [...new Set(stacks.map((s) => s.env))].filter((env) => !CENTRAL.includes(env));
  const after = [
    `Arrows point from a stack to the stacks deployed after it (CloudFormation dependencies in \`manifest.json\`); the boxes list ${DRAWN_ENVIRONMENT}'s notable resources. Resources per stack in every environment:`,
    '',
    `| Stack | ${envs.join(' | ')} |`,
    `| --- | ${envs.map(() => '---:').join(' | ')} |`,
    ...parts.map((part) => {
      const cells = envs.map((env) => String(stacks.find((s) => s.env === env && s.part === part)?.total ?? '—'));
      return `| ${part} | ${cells.join(' | ')} |`;
    }),
    `| **total** | ${envs.map((env) => String(stacks.filter((s) => s.env === env).reduce((sum, s) => sum + s.total, 0))).join(' | ')} |`,
  ];
  return { name: 'stack-graph', title: `Stacks of ${DRAWN_ENVIRONMENT} and their deploy order`, mermaid, after };
}
