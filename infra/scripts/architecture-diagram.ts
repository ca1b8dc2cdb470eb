/**
 * Generates the architecture section of docs/architecture.md from the synthesized app (infra/cdk.out), so the
 * diagram cannot drift from the code: a Mermaid graph of one environment's stacks (their notable resources, account
 * region, and deploy dependencies) and a table of resource counts per stack and environment.
 *
 *   tsx scripts/architecture-diagram.ts          rewrite the block between the markers
 *   tsx scripts/architecture-diagram.ts --check  exit 1 (naming the fix) if the committed block differs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_DIR } from '../lib/app-context.ts';

const CDK_OUT = join(INFRA_DIR, 'cdk.out');
const DOC = join(INFRA_DIR, '..', 'docs', 'architecture.md');
const BEGIN = '<!-- BEGIN GENERATED: infra/scripts/architecture-diagram.ts (make infra-docs) -->';
const END = '<!-- END GENERATED -->';
/** The environment drawn: prod has every stack (including the DR region's). */
const DRAWN_ENVIRONMENT = 'prod';

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

interface Artifact {
  type: string;
  environment?: string;
  dependencies?: string[];
}

function load() {
  const manifest = JSON.parse(readFileSync(join(CDK_OUT, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, Artifact>;
  };
  const stacks = Object.entries(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => {
      const template = JSON.parse(readFileSync(join(CDK_OUT, `${id}.template.json`), 'utf8')) as {
        Resources: Record<string, { Type: string }>;
      };
      const counts = new Map<string, number>();
      for (const resource of Object.values(template.Resources)) {
        counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
      }
      const [, env = '', ...part] = id.split('-');
      return {
        id,
        env,
        part: part.join('-'),
        region: (artifact.environment ?? '').split('/').at(-1) ?? '',
        counts,
        total: Object.keys(template.Resources).length,
        dependencies: (artifact.dependencies ?? []).filter(
          (dep) => manifest.artifacts[dep]?.type === 'aws:cloudformation:stack',
        ),
      };
    });
  return stacks;
}

function render(): string {
  const stacks = load();
  const drawn = stacks.filter((stack) => stack.env === DRAWN_ENVIRONMENT);
  const node = (id: string) => id.replaceAll('-', '_');
  const lines = ['```mermaid', 'flowchart LR'];
  for (const stack of drawn) {
    const items = [...stack.counts]
      .filter(([type]) => NOTABLE[type])
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, count]) => `${NOTABLE[type]}${count > 1 ? ` ×${count}` : ''}`);
    const label = [`<b>${stack.id}</b>`, `<i>${stack.region}, ${stack.total} resources</i>`, ...items].join('<br/>');
    lines.push(`  ${node(stack.id)}["${label}"]`);
  }
  for (const stack of drawn) {
    for (const dep of [...stack.dependencies].sort()) lines.push(`  ${node(dep)} --> ${node(stack.id)}`);
  }
  lines.push('```');

  // The organization's own accounts (management, security, log archive) are not environments of the table.
  const central = ['foundations', 'security', 'logarchive'];
  const parts = [...new Set(stacks.filter((s) => !central.includes(s.env)).map((s) => s.part))];
  const envs = [...new Set(stacks.map((s) => s.env))].filter((env) => !central.includes(env));
  const table = [
    '',
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
  return [BEGIN, ...lines, ...table, END].join('\n');
}

const doc = readFileSync(DOC, 'utf8');
const start = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (start < 0 || end < start) {
  process.stderr.write(`architecture-diagram: ${DOC} has no generated block (markers missing)\n`);
  process.exit(1);
}
const updated = `${doc.slice(0, start)}${render()}${doc.slice(end + END.length)}`;
if (process.argv.includes('--check')) {
  if (updated !== doc) {
    process.stderr.write('architecture-diagram: docs/architecture.md is stale; run `make infra-docs` and commit it\n');
    process.exit(1);
  }
  process.stdout.write('architecture-diagram: docs/architecture.md matches infra/cdk.out\n');
} else {
  writeFileSync(DOC, updated);
}
