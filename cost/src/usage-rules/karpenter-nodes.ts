/**
 * The workload nodes Karpenter launches (config `usage.karpenter`): not in any template, so priced from the baseline
 * node-hours of usage, split on-demand/spot, with the root volume the rendered EC2NodeClass requests.
 *
 * Off-hours, the API is at zero replicas and Karpenter removes the nodes it ran on: the baseline runs only in the
 * share of the week the template's node schedule keeps the day size (pricers/node-schedule.ts).
 */
import { computeDayShare } from '../pricers/node-schedule.ts';
import { karpenterRootVolume } from '../rendered-nodes.ts';
import type { UsageContext, UsageRule } from './rule.ts';

const hasCluster = (ctx: UsageContext) => ctx.has('AWS::EKS::Cluster');
// Three rules read the schedule of the same resources: search the templates for it once per account.
const dayShares = new WeakMap<UsageContext['resources'], number>();
const dayShare = (ctx: UsageContext) => {
  let share = dayShares.get(ctx.resources);
  if (share === undefined) {
    share = computeDayShare(ctx.resources);
    dayShares.set(ctx.resources, share);
  }
  return share;
};
const baselineHours = (ctx: UsageContext) => ctx.usage.karpenter.baselineNodeHours * dayShare(ctx);
const spotHours = (ctx: UsageContext) => baselineHours(ctx) * ctx.usage.karpenter.spotShare;
const scheduled = (ctx: UsageContext) => {
  const share = dayShare(ctx);
  return share < 1 ? `, ${Math.round(share * 100)}% of hours, off-hours schedule` : '';
};
const rootVolume = (ctx: UsageContext) =>
  ctx.account.env ? karpenterRootVolume(ctx.account.env.names.renderedManifestsPath) : undefined;

export const karpenterNodeRules: readonly UsageRule[] = [
  {
    id: 'karpenter-on-demand',
    owner: 'Karpenter nodes',
    fields: ['karpenter.baselineNodeHours'],
    appliesWhen: hasCluster,
    item: (ctx) => `Karpenter ${ctx.usage.karpenter.instanceType} on-demand${scheduled(ctx)}`,
    price: (ctx) => `ec2.on-demand.${ctx.usage.karpenter.instanceType}`,
    unit: 'instance-hour',
    quantity: (ctx) => baselineHours(ctx) - spotHours(ctx),
  },
  {
    id: 'karpenter-spot',
    owner: 'Karpenter nodes',
    fields: ['karpenter.baselineNodeHours'],
    appliesWhen: hasCluster,
    item: (ctx) => `Karpenter ${ctx.usage.karpenter.instanceType} spot${scheduled(ctx)}`,
    price: (ctx) => `ec2.spot.${ctx.usage.karpenter.instanceType}`,
    unit: 'instance-hour',
    quantity: spotHours,
  },
  {
    id: 'karpenter-root-volumes',
    owner: 'Karpenter nodes',
    fields: ['karpenter.baselineNodeHours'],
    appliesWhen: hasCluster,
    needs: {
      present: (ctx) => rootVolume(ctx) !== undefined,
      reason: 'karpenter root volumes (no EC2NodeClass rendered)',
    },
    item: (ctx) => {
      const volume = rootVolume(ctx);
      return `Karpenter node root volumes (${volume?.gib} GiB ${volume?.volumeType}, ${volume?.from})`;
    },
    price: (ctx) => `ebs.${rootVolume(ctx)?.volumeType}.gb-month`,
    unit: 'GB-month',
    // The nodes running all month on average, each with its volume.
    quantity: (ctx) => (baselineHours(ctx) / ctx.hoursPerMonth) * (rootVolume(ctx)?.gib ?? 0),
  },
];
