/**
 * How operators get into an environment, as synthesized: EKS access entries mapped to roles only Identity Center's
 * roles may assume (admin: cluster admin; devops: view, namespace by namespace), Session Manager on the system
 * nodes with every session encrypted and recorded, and a tunnel document fixed to the cluster's private endpoint.
 */
import { describe, expect, it } from 'vitest';
import {
  SESSION_IDLE_MINUTES,
  SESSION_MAX_MINUTES,
  SESSION_PREFERENCES_DOCUMENT,
} from '../../lib/constructs/session-manager-access.ts';
import { identityCenterRoleArnPattern, permissionSetName } from '../../lib/foundations/guardrail-settings.ts';
import { clusterNamespaces } from '../../lib/stacks/cluster-stack.ts';
import { config, ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { policyStatements, type Resource, resources } from '../helpers/template-queries.ts';

const rolesByName = (name: string) =>
  Object.fromEntries(
    resources(templateOf(name, 'cluster'), 'AWS::IAM::Role')
      .filter(([, role]) => role.Properties.RoleName)
      .map(([id, role]) => [role.Properties.RoleName as string, { id, role }]),
  );
const accessEntryOf = (name: string, roleLogicalId: string): Resource | undefined =>
  resources(templateOf(name, 'cluster'), 'AWS::EKS::AccessEntry').find(
    ([, entry]) => entry.Properties.PrincipalArn?.['Fn::GetAtt']?.[0] === roleLogicalId,
  )?.[1];
const policyName = (entry: Resource | undefined) =>
  entry?.Properties.AccessPolicies.map((p: { PolicyArn: { 'Fn::Join': [string, string[]] } }) =>
    String(p.PolicyArn['Fn::Join'][1].at(-1)).split('/').at(-1),
  );

describe('operators: the cluster roles trust one Identity Center role each, never the account alone', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    const roles = rolesByName(name);
    for (const [roleName, set] of [
      [env.names.clusterAdminRoleName, 'clusterAdmin'],
      [env.names.clusterViewerRoleName, 'devops'],
    ] as const) {
      const statements = roles[roleName]?.role.Properties.AssumeRolePolicyDocument.Statement;
      expect(statements, roleName).toHaveLength(1);
      expect(statements[0]).toEqual({
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${env.account.id}:root` },
        Condition: {
          ArnLike: { 'aws:PrincipalArn': identityCenterRoleArnPattern(config, set, env.account.id) },
        },
      });
      expect(statements[0].Condition.ArnLike['aws:PrincipalArn']).toContain(
        `AWSReservedSSO_${permissionSetName(config, set)}_`,
      );
    }
  });
});

describe('operators: access entries (admin: cluster admin; devops: view in the platform namespaces)', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    const roles = rolesByName(name);
    const admin = accessEntryOf(name, roles[env.names.clusterAdminRoleName]?.id ?? '');
    expect(policyName(admin)).toEqual(['AmazonEKSClusterAdminPolicy']);
    expect(admin?.Properties.AccessPolicies[0].AccessScope).toEqual({ Type: 'cluster' });
    const viewer = accessEntryOf(name, roles[env.names.clusterViewerRoleName]?.id ?? '');
    expect(policyName(viewer)).toEqual(['AmazonEKSViewPolicy']);
    expect(viewer?.Properties.AccessPolicies[0].AccessScope).toEqual({
      Type: 'namespace',
      Namespaces: clusterNamespaces(env.names),
    });
    expect(clusterNamespaces(env.names)).toEqual(expect.arrayContaining([env.names.apiNamespace, 'argocd']));
  });
});

describe('operators: Session Manager on the system nodes, every session encrypted and recorded', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    const template = templateOf(name, 'cluster');
    const nodeRole = resources(template, 'AWS::IAM::Role').find(([id]) =>
      id.startsWith('EksClusterNodegroupSystemNodesNodeGroupRole'),
    )?.[1];
    expect(JSON.stringify(nodeRole?.Properties.ManagedPolicyArns)).toContain('AmazonSSMManagedInstanceCore');

    const [groupId, group] =
      resources(template, 'AWS::Logs::LogGroup').find(
        ([, candidate]) => candidate.Properties.LogGroupName === env.names.sessionLogGroupName,
      ) ?? [];
    expect(group?.Properties.KmsKeyId).toBeDefined();
    expect(group?.DeletionPolicy).toBe('Retain');

    const documents = Object.fromEntries(
      resources(template, 'AWS::SSM::Document').map(([, d]) => [d.Properties.Name, d.Properties]),
    );
    const preferences = documents[SESSION_PREFERENCES_DOCUMENT];
    expect(preferences.DocumentType).toBe('Session');
    expect(preferences.Content.inputs).toMatchObject({
      cloudWatchLogGroupName: { Ref: groupId },
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      kmsKeyId: { Ref: expect.stringMatching(/^SessionManagerSessionKey/) },
      runAsEnabled: false,
      idleSessionTimeout: String(SESSION_IDLE_MINUTES),
      maxSessionDuration: String(SESSION_MAX_MINUTES),
    });
    const streams = policyStatements(template, 'EksClusterNodegroupSystemNodesNodeGroupRoleDefaultPolicy').find((s) =>
      JSON.stringify(s.Action).includes('logs:PutLogEvents'),
    );
    expect(JSON.stringify(streams?.Resource)).toContain(groupId);
  });

  it('the VPC reaches Session Manager without the internet (ssm, ssmmessages, ec2messages endpoints)', () => {
    const services = JSON.stringify(
      resources(templateOf('prod', 'network'), 'AWS::EC2::VPCEndpoint').map(([, e]) => e.Properties.ServiceName),
    );
    for (const service of ['.ssm', '.ssmmessages', '.ec2messages']) expect(services).toContain(service);
  });
});

describe('operators: the tunnel document reaches the private API endpoint and nothing else', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    const tunnel = resources(templateOf(name, 'cluster'), 'AWS::SSM::Document').find(
      ([, d]) => d.Properties.Name === env.names.clusterEndpointTunnelDocumentName,
    )?.[1].Properties;
    expect(tunnel.Content.sessionType).toBe('Port');
    expect(tunnel.Content.properties).toEqual({
      type: 'LocalPortForwarding',
      host: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.any(String), 'Endpoint'] }] }] },
      portNumber: '443',
      localPortNumber: '{{ localPortNumber }}',
    });
    // The host and remote port are not parameters: the caller cannot point the tunnel elsewhere.
    expect(Object.keys(tunnel.Content.parameters)).toEqual(['localPortNumber']);
  });
});
