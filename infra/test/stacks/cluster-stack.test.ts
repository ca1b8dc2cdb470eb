import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { INFRA_DIR } from '../../lib/app-context.ts';
import {
  APPLICATION_HEALTH_KEY,
  APPLICATION_HEALTH_LUA,
  ARGO_CD_CHART,
  ARGO_CD_PORT_FORWARD_URL,
  IDENTITY_CENTER_SAML_SECRET,
} from '../../lib/constructs/argo-cd-bootstrap.ts';
import { INTERRUPTION_EVENTS } from '../../lib/constructs/karpenter-prerequisites.ts';
import { config, ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { asArray, only, policyStatements, resources } from '../helpers/template-queries.ts';

interface ArgoObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; finalizers?: string[] };
  spec: Record<string, unknown>;
}

const cluster = (name: string) => only(templateOf(name, 'cluster'), 'AWS::EKS::Cluster').Properties;

describe('cluster: Kubernetes N-1 of the newest version aws-eks-v2 supports', () => {
  it('config names N-1 and the cluster runs it', () => {
    const known = Object.values(eks.KubernetesVersion)
      .filter((value): value is eks.KubernetesVersion => value instanceof eks.KubernetesVersion)
      .map((version) => version.version)
      .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    const newest = known.at(-1) as string;
    const nMinusOne = `1.${Number(newest.split('.')[1]) - 1}`;
    for (const name of ENVIRONMENTS) {
      expect(environment(name).cluster.kubernetesVersion).toBe(nMinusOne);
      expect(cluster(name).Version).toBe(nMinusOne);
    }
  });
});

describe('cluster: API endpoint private (public only from configured CIDRs)', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const vpc = cluster(name).ResourcesVpcConfig;
    const cidrs = environment(name).cluster.publicEndpointCidrs;
    expect(vpc.EndpointPrivateAccess).toBe(true);
    expect(vpc.EndpointPublicAccess).toBe(cidrs.length > 0);
    if (cidrs.length > 0) expect(vpc.PublicAccessCidrs).toEqual(cidrs);
  });
});

describe('cluster: every control-plane log type, secrets encrypted with a CMK, access entries only', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const props = cluster(name);
    const types = props.Logging.ClusterLogging.EnabledTypes.map((t: { Type: string }) => t.Type).sort();
    expect(types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(props.EncryptionConfig).toEqual([
      { Provider: { KeyArn: { 'Fn::GetAtt': ['EksSecretsKey89C78FFD', 'Arn'] } }, Resources: ['secrets'] },
    ]);
    expect(props.AccessConfig).toEqual({ AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false });
  });
});

describe('cluster: managed add-ons as AWS::EKS::Addon', () => {
  it.each(ENVIRONMENTS)(
    '%s has vpc-cni (network policy on), coredns, kube-proxy, pod identity agent, metrics-server',
    (name) => {
      const addons = Object.fromEntries(
        resources(templateOf(name, 'cluster'), 'AWS::EKS::Addon').map(([, r]) => [
          r.Properties.AddonName,
          r.Properties,
        ]),
      );
      expect(Object.keys(addons).sort()).toEqual([
        'coredns',
        'eks-pod-identity-agent',
        'kube-proxy',
        'metrics-server',
        'vpc-cni',
      ]);
      expect(JSON.parse(addons['vpc-cni'].ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
      expect(cluster(name).BootstrapSelfManagedAddons).toBe(false);
    },
  );
});

describe('cluster: small on-demand system node group, tainted, IMDSv2 hop limit 1, encrypted volumes', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'cluster');
    const nodes = only(template, 'AWS::EKS::Nodegroup').Properties;
    const sizes = environment(name).cluster.systemNodes;
    expect(nodes.CapacityType).toBe('ON_DEMAND');
    expect(nodes.InstanceTypes).toEqual(sizes.instanceTypes);
    expect(nodes.ScalingConfig).toEqual({
      MinSize: sizes.minSize,
      DesiredSize: sizes.desiredSize,
      MaxSize: sizes.maxSize,
    });
    expect(nodes.Taints).toEqual([{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }]);
    // Label and taint come from config (names.systemNodes), which deploy/ tolerates and selects on too.
    const { label, taint } = environment(name).names.systemNodes;
    expect(nodes.Labels).toEqual({ [label.key]: label.value });
    expect(nodes.Taints).toEqual([{ Key: taint.key, Value: taint.value, Effect: 'NO_SCHEDULE' }]);
    const template_ = only(template, 'AWS::EC2::LaunchTemplate').Properties.LaunchTemplateData;
    expect(template_.MetadataOptions).toEqual({
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 1,
      HttpEndpoint: 'enabled',
    });
    expect(template_.BlockDeviceMappings[0].Ebs).toMatchObject({
      Encrypted: true,
      VolumeType: 'gp3',
      VolumeSize: sizes.diskGiB,
    });
  });
});

describe('cluster: Karpenter prerequisites', () => {
  it.each(ENVIRONMENTS)(
    '%s: named node role with an EC2_LINUX access entry, interruption queue, four event rules',
    (name) => {
      const template = templateOf(name, 'cluster');
      const names = environment(name).names;
      template.hasResourceProperties('AWS::IAM::Role', { RoleName: names.karpenterNodeRoleName });
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        Type: 'EC2_LINUX',
        PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KarpenterNodeRole'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: names.karpenterInterruptionQueueName,
        SqsManagedSseEnabled: true,
      });
      const rules = resources(template, 'AWS::Events::Rule');
      const detailTypes = rules.map(([, r]) => r.Properties.EventPattern['detail-type'][0]).sort();
      expect(detailTypes).toEqual(
        Object.values(INTERRUPTION_EVENTS)
          .map((e) => e.detailType[0])
          .sort(),
      );
      for (const [, rule] of rules) {
        expect(rule.Properties.Targets[0].Arn).toEqual({
          'Fn::GetAtt': [expect.stringMatching(/^KarpenterInterruptionQueue/), 'Arn'],
        });
      }
    },
  );
});

describe('cluster: one Pod Identity association per configured service account, least privilege', () => {
  const template = templateOf('prod', 'cluster');
  const names = environment('prod').names;
  const associations = resources(template, 'AWS::EKS::PodIdentityAssociation').map(([, r]) => r.Properties);

  it('matches config names.podIdentityServiceAccounts exactly, but for Ratify (IRSA, deploy ADR 0066)', () => {
    const actual = associations.map((a) => `${a.Namespace}/${a.ServiceAccount}`).sort();
    const expected = Object.entries(names.podIdentityServiceAccounts)
      .filter(([workload]) => workload !== 'ratify')
      .map(([, b]) => `${b.namespace}/${b.serviceAccount}`)
      .sort();
    expect(actual).toEqual(expected);
  });

  it('Ratify assumes its fixed-name role through IRSA, trusted for exactly its service account', () => {
    const ratifyRoles = resources(template, 'AWS::IAM::Role').filter(([id]) => id.startsWith('PodIdentitiesratify'));
    expect(ratifyRoles).toHaveLength(1);
    const role = ratifyRoles[0]?.[1] as {
      Properties: { RoleName: string; AssumeRolePolicyDocument: { Statement: unknown[] } };
    };
    expect(role.Properties.RoleName).toBe(names.ratifyIrsaRoleName);
    const [statement] = role.Properties.AssumeRolePolicyDocument.Statement as Array<{
      Action: string;
      Principal: { Federated: unknown };
      Condition: { StringEquals: unknown };
    }>;
    expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(JSON.stringify(statement?.Principal.Federated)).toMatch(/OidcProvider/);
    const conditions = resources(template, 'Custom::AWSCDKCfnJson').map(([, r]) => JSON.stringify(r.Properties.Value));
    const ratify = names.podIdentityServiceAccounts.ratify;
    expect(
      conditions.some((c) => c.includes(`system:serviceaccount:${ratify.namespace}:${ratify.serviceAccount}`)),
    ).toBe(true);
    expect(conditions.some((c) => c.includes('sts.amazonaws.com'))).toBe(true);
  });

  it('every other role trusts only the Pod Identity service', () => {
    const roles = resources(template, 'AWS::IAM::Role').filter(
      ([id]) => id.startsWith('PodIdentities') && !id.startsWith('PodIdentitiesratify'),
    );
    expect(roles.length).toBe(associations.length);
    for (const [, role] of roles) {
      const principals = role.Properties.AssumeRolePolicyDocument.Statement.map(
        (s: { Principal: unknown }) => s.Principal,
      );
      for (const principal of principals) expect(principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    }
  });

  it('ExternalDNS changes records only in the environment zone', () => {
    const statements = policyStatements(template, 'PodIdentitiesexternalDns');
    const change = statements.find((s) => asArray(s.Action).includes('route53:ChangeResourceRecordSets'));
    expect(JSON.stringify(change?.Resource)).toMatch(/hostedzone|HostedZone|Zone/);
    expect(change?.Resource).not.toBe('*');
  });

  it('External Secrets reads only the environment secret path', () => {
    const statements = policyStatements(template, 'PodIdentitiesexternalSecrets');
    const read = statements.find((s) => asArray(s.Action).includes('secretsmanager:GetSecretValue'));
    expect(read?.Resource).toBe(
      `arn:aws:secretsmanager:us-east-1:${environment('prod').account.id}:secret:${names.secretsPathPrefix}*`,
    );
  });

  it('External Secrets is denied the database master’s secret, which no object in the cluster may hold', () => {
    const statements = policyStatements(template, 'PodIdentitiesexternalSecrets');
    const deny = statements.find((s) => (s as { Sid?: string }).Sid === 'NeverTheDatabaseMaster') as
      | { Effect: string; Resource: unknown; Action: unknown }
      | undefined;
    expect(deny?.Effect).toBe('Deny');
    expect(asArray(deny?.Action)).toContain('secretsmanager:GetSecretValue');
    expect(deny?.Resource).toBe(
      `arn:aws:secretsmanager:us-east-1:${environment('prod').account.id}:secret:${names.databaseSecretName}-??????`,
    );
  });

  it('the API reads only its application user’s secret (never the master’s) and decrypts only through Secrets Manager', () => {
    const statements = policyStatements(template, 'PodIdentitiesapi');
    expect(statements.flatMap((s) => asArray(s.Action)).sort()).toEqual([
      'kms:Decrypt',
      'secretsmanager:GetSecretValue',
    ]);
    const read = statements.find((s) => asArray(s.Action).includes('secretsmanager:GetSecretValue'));
    expect(read?.Resource).toBe(
      `arn:aws:secretsmanager:us-east-1:${environment('prod').account.id}:secret:${names.databaseAppSecretName}-??????`,
    );
    const decrypt = statements.find((s) => asArray(s.Action).includes('kms:Decrypt')) as { Condition?: unknown };
    expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } });
  });

  it('ADOT remote-writes only to the environment AMP workspace', () => {
    const statements = policyStatements(template, 'PodIdentitiesadotCollector');
    const write = statements.find((s) => asArray(s.Action).includes('aps:RemoteWrite'));
    expect(JSON.stringify(write?.Resource)).toContain('observability');
  });

  it('the Load Balancer Controller may list web ACLs (wafv2-acl-name lookup) and open backend rules only on the cluster security group', () => {
    const statements = policyStatements(template, 'PodIdentitiesawsLoadBalancerController') as {
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    }[];
    const list = statements.find((s) => asArray(s.Action).includes('wafv2:ListWebACLs'));
    expect(list?.Resource).toBe('*');
    const ingress = statements.filter((s) => asArray(s.Action).includes('ec2:AuthorizeSecurityGroupIngress'));
    expect(ingress.length).toBeGreaterThan(0);
    // Never unconditioned: either the controller's own (tagged) groups or this cluster's security group.
    for (const statement of ingress) {
      expect(statement.Condition).toEqual({
        StringEquals: expect.toSatisfy(
          (c: Record<string, string>) =>
            c['aws:ResourceTag/elbv2.k8s.aws/cluster'] === names.clusterName ||
            c['aws:ResourceTag/aws:eks:cluster-name'] === names.clusterName,
        ),
      });
    }
    expect(ingress.some((s) => JSON.stringify(s.Condition).includes('aws:eks:cluster-name'))).toBe(true);
  });

  it('Karpenter may pass only its node role and read only its queue', () => {
    const statements = policyStatements(template, 'PodIdentitieskarpenter');
    const pass = statements.find((s) => asArray(s.Action).includes('iam:PassRole'));
    expect(pass?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^KarpenterNodeRole/), 'Arn'] });
    const queue = statements.find((s) => asArray(s.Action).includes('sqs:ReceiveMessage'));
    expect(queue?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^KarpenterInterruptionQueue/), 'Arn'] });
  });
});

describe('cluster: 5432 reachable only from the cluster security group', () => {
  it.each(ENVIRONMENTS)('%s: the one ingress into the database SG comes from the EKS cluster SG', (name) => {
    const ingress = resources(templateOf(name, 'cluster'), 'AWS::EC2::SecurityGroupIngress').filter(([, r]) =>
      JSON.stringify(r.Properties.GroupId).includes('PostgresSecurityGroup'),
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0]?.[1].Properties).toMatchObject({
      FromPort: 5432,
      ToPort: 5432,
      IpProtocol: 'tcp',
      SourceSecurityGroupId: { 'Fn::GetAtt': ['EksClusterB2BDED5B', 'ClusterSecurityGroupId'] },
    });
  });
});

describe('cluster: the ALB admits only CloudFront and requires the origin-verify header', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'cluster');
    const names = environment(name).names;
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: names.albSecurityGroupName,
      SecurityGroupEgress: Match.anyValue(),
    });
    const ingress = resources(template, 'AWS::EC2::SecurityGroupIngress').filter(([id]) =>
      id.startsWith('AlbOriginGuard'),
    );
    expect(ingress.map(([, r]) => r.Properties)).toEqual([
      expect.objectContaining({ SourcePrefixListId: 'pl-3b927c52', FromPort: 443, ToPort: 443 }),
    ]);
    const acl = resources(template, 'AWS::WAFv2::WebACL').map(([, r]) => r.Properties);
    expect(acl).toHaveLength(1);
    expect(acl[0]).toMatchObject({
      Name: names.originVerifyWebAclName,
      Scope: 'REGIONAL',
      DefaultAction: { Block: {} },
    });
    const match = acl[0].Rules[0].Statement.ByteMatchStatement;
    expect(match.FieldToMatch).toEqual({ SingleHeader: { Name: names.originVerifyHeader.toLowerCase() } });
    expect(match.SearchString).toBe(`{{resolve:secretsmanager:${names.originVerifySecretName}:SecretString}}`);
  });
});

describe('cluster: Argo CD bootstrap with an app-of-apps on deploy/rendered/<env>/', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'cluster');
    const names = environment(name).names;
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: ARGO_CD_CHART.chart,
      Version: ARGO_CD_CHART.version,
      Namespace: names.argocdNamespace,
    });
    const manifests = resources(template, 'Custom::AWSCDK-EKS-KubernetesResource').map(([, r]) =>
      JSON.parse(r.Properties.Manifest as string),
    );
    const root = manifests.flat().find((m: { kind: string }) => m.kind === 'Application');
    expect(root.metadata.name).toBe(names.argocdRootApplicationName);
    expect(root.spec.source).toEqual({
      repoURL: config.organization.git.repoUrl,
      targetRevision: config.organization.git.branch,
      path: names.renderedManifestsPath,
      directory: { recurse: false },
    });
    expect(root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  it.each(ENVIRONMENTS)(
    "%s: the CDK side creates the render's root Application and bootstrap AppProject, not a variant of them",
    (name) => {
      const names = environment(name).names;
      const created = resources(templateOf(name, 'cluster'), 'Custom::AWSCDK-EKS-KubernetesResource')
        .flatMap(([, r]) => JSON.parse(r.Properties.Manifest as string) as ArgoObject[])
        .filter((m) => m.apiVersion === 'argoproj.io/v1alpha1');
      const rendered = parseAllDocuments(
        readFileSync(join(INFRA_DIR, '..', names.renderedManifestsPath, 'argocd.yaml'), 'utf8'),
      ).map((doc) => doc.toJS() as ArgoObject);
      // The render adds its labels and sync-wave annotation; everything Argo CD acts on must be equal, or the
      // first sync of the root rewrites the object it is running from.
      const comparable = (o: ArgoObject) => ({
        kind: o.kind,
        name: o.metadata.name,
        namespace: o.metadata.namespace,
        finalizers: o.metadata.finalizers,
        spec: o.spec,
      });
      expect(created.map((o) => o.kind)).toEqual(['AppProject', 'Application']);
      for (const object of created) {
        const twin = rendered.find((r) => r.kind === object.kind && r.metadata.name === object.metadata.name);
        expect(twin, `${object.kind} ${object.metadata.name} in the render`).toBeDefined();
        expect(comparable(object)).toEqual(comparable(twin as ArgoObject));
      }
      expect(created[1]?.metadata.name).toBe(names.argocdRootApplicationName);
      expect(created[1]?.spec.project).toBe(created[0]?.metadata.name);
    },
  );

  it.each(ENVIRONMENTS)(
    '%s: Argo CD runs on the system nodes and assesses Application health (sync waves wait)',
    (name) => {
      const names = environment(name).names;
      const chart = only(templateOf(name, 'cluster'), 'Custom::AWSCDK-EKS-HelmChart').Properties;
      const values = JSON.parse(chart.Values as string);
      expect(values.configs.cm[APPLICATION_HEALTH_KEY]).toBe(APPLICATION_HEALTH_LUA);
      // The check reports the child's own health, and Progressing until it has one.
      expect(APPLICATION_HEALTH_LUA).toMatch(/hs\.status = "Progressing"/);
      expect(APPLICATION_HEALTH_LUA).toMatch(/hs\.status = obj\.status\.health\.status/);
      const { label, taint } = names.systemNodes;
      expect(values.global.nodeSelector).toEqual({ [label.key]: label.value });
      expect(values.global.tolerations).toEqual([
        { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect },
      ]);
    },
  );
});

describe('cluster: Argo CD signs in through Identity Center, RBAC from its groups, UI only by port-forward', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const chart = only(templateOf(name, 'cluster'), 'Custom::AWSCDK-EKS-HelmChart').Properties;
    const values = JSON.parse(chart.Values as string);
    const groups = config.organization.foundations.identityCenter.groups;
    expect(values.dex.enabled).toBe(true);
    expect(values.configs.cm.url).toBe(ARGO_CD_PORT_FORWARD_URL);
    const dex = values.configs.cm['dex.config'] as string;
    expect(dex).toMatch(/type: saml/);
    expect(dex).toContain(`ssoURL: $${IDENTITY_CENTER_SAML_SECRET}:ssoURL`);
    expect(dex).toContain(`caData: $${IDENTITY_CENTER_SAML_SECRET}:caData`);
    expect(dex).toContain(`redirectURI: ${ARGO_CD_PORT_FORWARD_URL}/api/dex/callback`);
    expect(dex).toMatch(/groupsAttr: groups/);
    expect(values.configs.rbac).toEqual({
      'policy.default': '',
      'policy.csv': `g, ${groups.clusterAdmin}, role:admin\ng, ${groups.devops}, role:readonly\n`,
      scopes: '[groups]',
    });
    // No public way in: a ClusterIP service and no ingress.
    expect(values.server.service).toEqual({ type: 'ClusterIP' });
    expect(values.server.ingress).toBeUndefined();
  });
});
