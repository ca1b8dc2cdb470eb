/**
 * Root and break-glass sign-ins page: EventBridge rules on this account's CloudTrail events, in us-east-1 (where
 * console sign-ins and global STS calls are delivered), publishing to the alarm topic (and the paging topic in prod)
 * through a key and topic policy that admit EventBridge of this account only.
 */
import { describe, expect, it } from 'vitest';
import { permissionSetName } from '../../lib/foundations/guardrail-settings.ts';
import { config, ENVIRONMENTS, environment, templateOf } from '../helpers/environment-stacks.ts';
import { resources } from '../helpers/template-queries.ts';

const rule = (name: string, prefix: string) =>
  resources(templateOf(name, 'observability'), 'AWS::Events::Rule').find(([id]) => id.startsWith(prefix))?.[1]
    .Properties;
const targetTopics = (props: { Targets: Array<{ Arn: { Ref: string } }> }) =>
  props.Targets.map((t) => t.Arn.Ref.replace(/[0-9A-F]{8}$/, '')).sort();

describe('alerts: root console sign-in and break-glass use page through the alarm topics', () => {
  it.each(ENVIRONMENTS)('%s', (name) => {
    const env = environment(name);
    // Console sign-in events and global STS calls arrive in us-east-1 only.
    expect(env.region).toBe('us-east-1');
    const topics = env.observability.paging ? ['AlarmTopic', 'PagingTopic'] : ['AlarmTopic'];

    const root = rule(name, 'PrivilegedSignInsRootSignIn');
    expect(root.EventPattern).toEqual({
      source: ['aws.signin'],
      'detail-type': ['AWS Console Sign In via CloudTrail'],
      detail: { userIdentity: { type: ['Root'] } },
    });
    expect(targetTopics(root)).toEqual(topics);

    const breakGlass = rule(name, 'PrivilegedSignInsBreakGlassUsed');
    const roleArn = `arn:aws:iam::${env.account.id}:role/${config.organization.foundations.protectedRoles.breakGlassRoleName}`;
    const [assume, switchRole] = breakGlass.EventPattern.detail.$or;
    expect(breakGlass.EventPattern.source.sort()).toEqual(['aws.signin', 'aws.sts']);
    expect(assume.eventName).toEqual(['AssumeRole', 'AssumeRoleWithSAML']);
    expect(assume.requestParameters.roleArn).toEqual([
      roleArn,
      {
        wildcard: `arn:aws:iam::${env.account.id}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_${permissionSetName(config, 'breakGlass')}_*`,
      },
    ]);
    expect(switchRole).toEqual({ eventName: ['SwitchRole'], additionalEventData: { SwitchTo: [roleArn] } });
    expect(targetTopics(breakGlass)).toEqual(topics);
    // Every target says what happened, by whom, from where.
    for (const target of [...root.Targets, ...breakGlass.Targets]) {
      expect(Object.values(target.InputTransformer.InputPathsMap)).toEqual(
        expect.arrayContaining(['$.detail.userIdentity.arn', '$.detail.sourceIPAddress']),
      );
    }
  });

  it.each(ENVIRONMENTS)('%s: the topic keys admit EventBridge of this account only', (name) => {
    const env = environment(name);
    const keys = resources(templateOf(name, 'observability'), 'AWS::KMS::Key').filter(([id]) =>
      /^(AlarmTopic|PagingTopic)Key/.test(id),
    );
    expect(keys.length).toBe(env.observability.paging ? 2 : 1);
    for (const [, key] of keys) {
      const statement = key.Properties.KeyPolicy.Statement.find(
        (s: { Sid?: string }) => s.Sid === 'EventBridgeRulesPublish',
      );
      expect(statement).toMatchObject({
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': env.account.id } },
      });
    }
  });
});
