import { SUBNET_GROUPS, subnetLayout } from '@innovate/config';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { NAT_INSTANCE_ROOT_GIB } from '../../lib/constructs/nat-provider.ts';
import { ENDPOINT_ID_BY_SERVICE, INTERFACE_ENDPOINTS } from '../../lib/constructs/vpc-endpoints.ts';
import { SUBNET_TIERS } from '../../lib/constructs/workload-vpc.ts';
import { ENVIRONMENTS, environment, stacksOf, templateOf } from '../helpers/environment-stacks.ts';

describe('network: VPC across 3 AZs with public, private-app and private-db subnets', () => {
  it.each(ENVIRONMENTS)('%s has 9 subnets in 3 AZs, CIDR from config', (name) => {
    const template = templateOf(name, 'network');
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: environment(name).network.vpcCidr });
    const subnets = template.findResources('AWS::EC2::Subnet');
    expect(Object.keys(subnets)).toHaveLength(9);
    const zones = new Set(Object.values(subnets).map((s) => JSON.stringify(s.Properties.AvailabilityZone)));
    expect(zones.size).toBe(3);
    const tiers = Object.values(subnets).map(
      (s) =>
        (s.Properties.Tags as { Key: string; Value: string }[]).find((t) => t.Key === 'aws-cdk:subnet-name')?.Value,
    );
    expect(tiers.sort()).toEqual([
      ...Array(3).fill('private-app'),
      ...Array(3).fill('private-db'),
      ...Array(3).fill('public'),
    ]);
  });
});

describe('network: every subnet has the CIDR and AZ of config’s subnet layout (the one the NetworkPolicies read)', () => {
  it.each(ENVIRONMENTS)('%s: each group’s subnets, in AZ order, are the layout’s', (name) => {
    const layout = subnetLayout(environment(name).network);
    const zones = stacksOf(name).network.vpc.availabilityZones;
    const synthesized = Object.values(templateOf(name, 'network').findResources('AWS::EC2::Subnet')).map((s) => ({
      group: (s.Properties.Tags as { Key: string; Value: string }[]).find((t) => t.Key === 'aws-cdk:subnet-name')
        ?.Value,
      zone: s.Properties.AvailabilityZone as string,
      cidr: s.Properties.CidrBlock as string,
    }));
    const expected = SUBNET_GROUPS.flatMap((group) =>
      layout[group].cidrs.map((cidr, az) => ({ group: SUBNET_TIERS[group], zone: zones[az], cidr })),
    );
    expect(zones).toHaveLength(environment(name).network.azCount);
    type Placed = { group?: string; zone?: string };
    const byPlace = (a: Placed, b: Placed) => `${a.group} ${a.zone}`.localeCompare(`${b.group} ${b.zone}`);
    expect(synthesized.sort(byPlace)).toEqual(expected.sort(byPlace));
  });
});

describe('network: NAT per config (gateways, one per AZ, in prod; one NAT instance in dev and staging)', () => {
  it.each(ENVIRONMENTS)('%s has the configured kind and number of NATs, and nothing of the other kind', (name) => {
    const { nat } = environment(name).network;
    const template = templateOf(name, 'network');
    const gateways = Object.keys(template.findResources('AWS::EC2::NatGateway'));
    const instances = Object.keys(natInstancesOf(name));
    expect(nat.provider === 'gateway' ? gateways : instances).toHaveLength(nat.count);
    expect(nat.provider === 'gateway' ? instances : gateways).toHaveLength(0);
  });

  it('prod keeps its three NAT gateways (the spec: NAT per AZ)', () => {
    expect(environment('prod').network.nat).toEqual({ provider: 'gateway', count: 3 });
    expect(Object.keys(templateOf('prod', 'network').findResources('AWS::EC2::NatGateway'))).toHaveLength(3);
  });

  it.each(ENVIRONMENTS)('%s: every private-app subnet routes 0.0.0.0/0 to a NAT, the db subnets to none', (name) => {
    const resources = templateOf(name, 'network').toJSON().Resources as Record<string, CfnResource>;
    const routes = Object.entries(resources).filter(
      ([, r]) => r.Type === 'AWS::EC2::Route' && r.Properties?.DestinationCidrBlock === '0.0.0.0/0',
    );
    const appRoutes = routes.filter(([id]) => id.includes('privateapp'));
    expect(appRoutes).toHaveLength(3);
    const targets = new Set(
      appRoutes.map(([, r]) => JSON.stringify(r.Properties?.NatGatewayId ?? r.Properties?.InstanceId)),
    );
    const nats = environment(name).network.nat.provider === 'gateway' ? 'AWS::EC2::NatGateway' : 'AWS::EC2::Instance';
    for (const target of targets) {
      const ref = (JSON.parse(target) as { Ref: string }).Ref;
      expect(resources[ref]?.Type).toBe(nats);
    }
    expect(targets.size).toBe(environment(name).network.nat.count);
    expect(routes.filter(([id]) => id.includes('privatedb'))).toHaveLength(0);
  });
});

describe('network: the NAT instance of dev and staging is hardened and managed', () => {
  const nonProd = ENVIRONMENTS.filter((name) => environment(name).network.nat.provider === 'instance');
  /** The environment's NAT instances, never none: each check below must have something to check. */
  const natInstances = (name: string) => {
    const found = natInstancesOf(name);
    expect(Object.keys(found)).toHaveLength(environment(name).network.nat.count);
    return found;
  };

  it('dev and staging use one (prod never does: config refuses it)', () => {
    expect(nonProd).toEqual(['dev', 'staging']);
  });

  it.each(nonProd)(
    '%s: the configured Graviton type, source/dest check off, arm64 AL2023 from SSM at deploy',
    (name) => {
      const template = templateOf(name, 'network').toJSON() as {
        Parameters: Record<string, { Type: string; Default: string }>;
      };
      for (const instance of Object.values(natInstances(name))) {
        expect(instance.Properties?.InstanceType).toBe(environment(name).network.nat.instanceType);
        expect(instance.Properties?.SourceDestCheck).toBe(false);
        const image = (instance.Properties.ImageId as { Ref: string }).Ref;
        expect(template.Parameters[image]).toEqual({
          Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
          Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
        });
      }
    },
  );

  it.each(nonProd)('%s: IMDSv2 required, encrypted gp3 root volume tagged like the instance', (name) => {
    for (const instance of Object.values(natInstances(name))) {
      expect(instance.Properties?.MetadataOptions).toMatchObject({
        HttpTokens: 'required',
        HttpPutResponseHopLimit: 1,
      });
      expect(instance.Properties?.BlockDeviceMappings).toEqual([
        {
          DeviceName: '/dev/xvda',
          Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: NAT_INSTANCE_ROOT_GIB, DeleteOnTermination: true },
        },
      ]);
      expect(instance.Properties?.PropagateTagsToVolumeOnCreation).toBe(true);
    }
  });

  it.each(nonProd)('%s: its security group admits the VPC CIDR only', (name) => {
    const resources = templateOf(name, 'network').toJSON().Resources as Record<string, CfnResource>;
    for (const instance of Object.values(natInstances(name))) {
      const groups = (instance.Properties.SecurityGroupIds as { 'Fn::GetAtt': [string] }[]).map(
        (g) => resources[g['Fn::GetAtt'][0]],
      );
      expect(groups).toHaveLength(1);
      expect(groups[0]?.Properties?.SecurityGroupIngress).toEqual([
        expect.objectContaining({ CidrIp: environment(name).network.vpcCidr, IpProtocol: '-1' }),
      ]);
    }
    const ingress = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress');
    expect(ingress.map((r) => r.Properties?.CidrIp)).not.toContain('0.0.0.0/0');
  });

  it.each(nonProd)(
    '%s: Session Manager can manage it (SSM core policy on its role), and an Elastic IP is its egress address',
    (name) => {
      const resources = templateOf(name, 'network').toJSON().Resources as Record<string, CfnResource>;
      for (const [id, instance] of Object.entries(natInstances(name))) {
        const profile = resources[(instance.Properties.IamInstanceProfile as { Ref: string }).Ref];
        const role = resources[(profile?.Properties.Roles as { Ref: string }[] | undefined)?.[0]?.Ref ?? ''];
        expect(JSON.stringify(role?.Properties?.ManagedPolicyArns)).toContain(
          ':iam::aws:policy/AmazonSSMManagedInstanceCore',
        );
        const eips = Object.values(resources).filter(
          (r) => r.Type === 'AWS::EC2::EIP' && (r.Properties?.InstanceId as { Ref?: string } | undefined)?.Ref === id,
        );
        expect(eips).toHaveLength(1);
      }
    },
  );
});

describe('network: interface endpoints follow the cost policy (which services, in how many AZs)', () => {
  it.each(ENVIRONMENTS)('%s has exactly the configured endpoints, each in the configured number of AZs', (name) => {
    const policy = environment(name).costPolicy.interfaceEndpoints;
    const endpoints = Object.values(
      templateOf(name, 'network').findResources('AWS::EC2::VPCEndpoint', {
        Properties: { VpcEndpointType: 'Interface' },
      }),
    );
    const services = endpoints.map((e) => serviceOf(e.Properties.ServiceName));
    expect(services.sort()).toEqual(
      policy.services.map((service) => INTERFACE_ENDPOINTS[ENDPOINT_ID_BY_SERVICE[service]].shortName).sort(),
    );
    for (const endpoint of endpoints) expect(endpoint.Properties.SubnetIds).toHaveLength(policy.azCount);
  });
});

describe('network: endpoints', () => {
  const template = templateOf('prod', 'network');

  it('has an S3 gateway endpoint', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('\\.s3$')])] }),
    });
  });

  it.each(Object.entries(INTERFACE_ENDPOINTS))('has the %s interface endpoint with private DNS', (_id, service) => {
    const endpoints = template.findResources('AWS::EC2::VPCEndpoint', {
      Properties: { VpcEndpointType: 'Interface', PrivateDnsEnabled: true },
    });
    const names = Object.values(endpoints).map((e) => JSON.stringify(e.Properties.ServiceName));
    const short = service.shortName;
    expect(names.some((n) => n.endsWith(`.${short}"]]}`) || n.includes(`.${short}"`))).toBe(true);
  });

  it('interface endpoints admit HTTPS from the VPC CIDR only', () => {
    const groups = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('^Interface endpoints') },
    });
    const [group] = Object.values(groups);
    expect(group?.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({ CidrIp: environment('prod').network.vpcCidr, FromPort: 443, ToPort: 443 }),
    ]);
  });
});

describe('network: flow logs to a KMS-encrypted log group with retention', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const template = templateOf(name, 'network');
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: environment(name).network.flowLogRetentionDays,
      KmsKeyId: Match.anyValue(),
    });
  });
});

describe('network: db subnets NACL admits 5432 only from the app (and db) subnets', () => {
  const template = templateOf('prod', 'network');
  const entries = Object.values(template.findResources('AWS::EC2::NetworkAclEntry'));
  const inbound = entries.filter((e) => e.Properties.Egress !== true);

  it('every inbound allow is TCP 5432 or the ephemeral answers of the db tier itself', () => {
    expect(inbound.length).toBeGreaterThan(0);
    for (const entry of inbound) {
      const ports = entry.Properties.PortRange;
      const isPostgres = ports.From === 5432 && ports.To === 5432;
      const isEphemeral = ports.From === 1024 && ports.To === 65535;
      expect(entry.Properties.Protocol).toBe(6);
      expect(isPostgres || isEphemeral).toBe(true);
    }
  });

  it('no entry admits 0.0.0.0/0', () => {
    for (const entry of entries) expect(entry.Properties.CidrBlock).not.toBe('0.0.0.0/0');
  });

  it('the NACL is associated with exactly the 3 db subnets', () => {
    expect(Object.keys(template.findResources('AWS::EC2::SubnetNetworkAclAssociation'))).toHaveLength(3);
  });
});

describe('network: the VPC carries the Name tag the Load Balancer Controller finds it by', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const tags = templateOf(name, 'network').toJSON().Resources;
    const vpc = Object.values(
      tags as Record<string, { Type: string; Properties: { Tags: { Key: string; Value: string }[] } }>,
    ).find((r) => r.Type === 'AWS::EC2::VPC');
    expect(vpc?.Properties.Tags).toContainEqual({ Key: 'Name', Value: environment(name).names.vpcName });
  });
});

/** `com.amazonaws.us-east-1.ecr.api` (literal) or `Fn::Join` [..., '.ecr.api'] → `ecr.api`. */
function serviceOf(name: unknown): string {
  if (typeof name === 'string') return name.replace(/^com\.amazonaws\.[a-z0-9-]+\./, '');
  const parts = (name as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return String(parts.at(-1)).replace(/^\./, '');
}

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** The environment's NAT instances: EC2 instances that forward traffic (source/destination check off). */
function natInstancesOf(name: string): Record<string, CfnResource> {
  return templateOf(name, 'network').findResources('AWS::EC2::Instance', {
    Properties: { SourceDestCheck: false },
  }) as Record<string, CfnResource>;
}
