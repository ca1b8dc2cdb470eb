/**
 * The ALBs the AWS Load Balancer Controller creates from the cluster's Ingresses (config `usage.alb`): not in any
 * template, so priced from usage wherever there is a cluster.
 */
import type { UsageContext, UsageRule } from './rule.ts';

const hasCluster = (ctx: UsageContext) => ctx.has('AWS::EKS::Cluster');

export const loadBalancerRules: readonly UsageRule[] = [
  {
    id: 'alb-hours',
    owner: 'ALB (Load Balancer Controller)',
    fields: ['alb.count'],
    appliesWhen: hasCluster,
    item: (ctx) => `${ctx.usage.alb.count} ALB hours`,
    price: 'elb.alb.hour',
    unit: 'ALB-hour',
    quantity: (ctx) => ctx.usage.alb.count * ctx.hoursPerMonth,
  },
  {
    id: 'alb-lcu',
    owner: 'ALB (Load Balancer Controller)',
    fields: ['alb.count'],
    appliesWhen: hasCluster,
    item: (ctx) => `${ctx.usage.alb.averageLcu} LCU on average`,
    price: 'elb.alb.lcu-hour',
    unit: 'LCU-hour',
    quantity: (ctx) => ctx.usage.alb.count * ctx.usage.alb.averageLcu * ctx.hoursPerMonth,
  },
];
