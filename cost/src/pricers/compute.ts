/** EKS control plane and the managed node group (instances + root volumes). Karpenter nodes are usage lines. */
import { type CostLine, priced } from '../lines.ts';
import { type Pricer, prop, type ResourceContext, referencedId, stringProp, UnpricedError } from './context.ts';

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
  const hours = desired * prices.hoursPerMonth;
  const lines: CostLine[] = [
    priced(
      prices,
      owner,
      `${desired} × ${instanceType} (${capacity})`,
      'fixed',
      `ec2.${capacity}.${instanceType}`,
      hours,
    ),
  ];
  lines.push(
    priced(
      prices,
      owner,
      `${desired} × ${diskGiB} GiB gp3 root volumes`,
      'fixed',
      'ebs.gp3.gb-month',
      desired * diskGiB,
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
