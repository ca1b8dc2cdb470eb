/** EKS control plane and the managed node group (instances + root volumes). Karpenter nodes are usage lines. */
import { type CostLine, priced } from '../lines.ts';
import { type Pricer, prop, type ResourceContext, referencedId, stringProp, UnpricedError } from './context.ts';
import { nodeSchedule } from './node-schedule.ts';

export const eksCluster: Pricer = ({ prices, owner }) => [
  priced(prices, owner, 'EKS control plane', 'fixed', 'eks.cluster.hour', prices.hoursPerMonth),
];

export const eksNodegroup: Pricer = (ctx) => {
  const { prices, owner, resource } = ctx;
  const desired = Number(prop(resource, 'ScalingConfig.DesiredSize') ?? prop(resource, 'ScalingConfig.MinSize') ?? 1);
  const launchTemplate = launchTemplateData(ctx);
  const types = prop(resource, 'InstanceTypes');
  const instanceType = Array.isArray(types) ? types[0] : launchTemplate?.InstanceType;
  if (typeof instanceType !== 'string') throw new UnpricedError('no literal instance type');
  const capacity = stringProp(resource, 'CapacityType') === 'SPOT' ? 'spot' : 'on-demand';
  const diskGiB = nodeDiskGiB(ctx, launchTemplate);
  // With an off-hours schedule, `desired` nodes by day and the night size otherwise (the volumes go with the nodes).
  const name = stringProp(resource, 'NodegroupName');
  const schedule = name ? nodeSchedule(ctx.template, name) : undefined;
  const averageNodes = schedule
    ? schedule.dayDesired * schedule.dayShare + schedule.nightDesired * (1 - schedule.dayShare)
    : desired;
  const label = schedule ? `${schedule.dayDesired} by day, ${schedule.nightDesired} off-hours` : `${desired}`;
  const lines: CostLine[] = [
    priced(
      prices,
      owner,
      `${label} × ${instanceType} (${capacity})`,
      'fixed',
      `ec2.${capacity}.${instanceType}`,
      averageNodes * prices.hoursPerMonth,
    ),
  ];
  lines.push(
    priced(
      prices,
      owner,
      `${label} × ${diskGiB} GiB gp3 root volumes`,
      'fixed',
      'ebs.gp3.gb-month',
      averageNodes * diskGiB,
    ),
  );
  return lines;
};

interface LaunchTemplateData {
  InstanceType?: unknown;
  BlockDeviceMappings?: Array<{ Ebs?: { VolumeSize?: unknown; VolumeType?: unknown } }>;
}

function launchTemplateData({ resource, template }: ResourceContext): LaunchTemplateData | undefined {
  const id = referencedId(prop(resource, 'LaunchTemplate.Id')) ?? referencedId(prop(resource, 'LaunchTemplate.Name'));
  if (!id) return undefined;
  const launchTemplate = template[id];
  if (!launchTemplate) throw new UnpricedError(`launch template ${id} is not in the same template`);
  return prop(launchTemplate, 'LaunchTemplateData') as LaunchTemplateData | undefined;
}

function nodeDiskGiB(ctx: ResourceContext, launchTemplate: LaunchTemplateData | undefined): number {
  const diskSize = prop(ctx.resource, 'DiskSize');
  if (diskSize !== undefined) return Number(diskSize);
  const ebs = launchTemplate?.BlockDeviceMappings?.find((mapping) => mapping.Ebs)?.Ebs;
  if (ebs?.VolumeType !== undefined && ebs.VolumeType !== 'gp3') {
    throw new UnpricedError(`root volume type ${String(ebs.VolumeType)} is not priced (gp3 only)`);
  }
  if (ebs?.VolumeSize !== undefined) return Number(ebs.VolumeSize);
  return ctx.prices.allowance('eks.nodegroup.default-disk-gib');
}
