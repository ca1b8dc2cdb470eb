/** The Karpenter root volume comes from the EC2NodeClass deploy/ renders; a missing render is reported, not zero. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { karpenterRootVolume } from '../src/rendered-nodes.ts';
import { config, configWithUsage, priceStacks, stackOf } from './helpers.ts';

describe('Karpenter root volumes from the rendered EC2NodeClass', () => {
  it('reads volumeSize and volumeType of the root mapping', () => {
    const root = mkdtempSync(join(tmpdir(), 'cost-rendered-'));
    mkdirSync(join(root, 'rendered', 'x', 'platform'), { recursive: true });
    writeFileSync(
      join(root, 'rendered', 'x', 'platform', 'platform.yaml'),
      '---\nkind: ConfigMap\n---\nkind: EC2NodeClass\nspec:\n  blockDeviceMappings:\n' +
        '    - deviceName: /dev/xvdb\n      ebs: { volumeSize: 200Gi, volumeType: gp3 }\n' +
        '    - deviceName: /dev/xvda\n      rootVolume: true\n      ebs: { volumeSize: 40Gi, volumeType: gp3 }\n',
    );
    expect(karpenterRootVolume('rendered/x', root)).toEqual({
      gib: 40,
      volumeType: 'gp3',
      from: 'rendered/x/platform/platform.yaml',
    });
    expect(karpenterRootVolume('rendered/missing', root)).toBeUndefined();
  });

  it('every environment renders one (the committed deploy/rendered/<env>)', () => {
    for (const env of config.environments) {
      expect(karpenterRootVolume(env.names.renderedManifestsPath), env.name).toBeDefined();
    }
  });

  it('without a rendered EC2NodeClass the volumes are listed as unapplied, not priced as zero', () => {
    const edited = configWithUsage(
      { karpenter: { instanceType: 'm7g.large', baselineNodeHours: 730, spotShare: 0 } },
      (env) => ({
        ...env,
        names: { ...env.names, renderedManifestsPath: 'deploy/rendered/nowhere' },
      }),
    );
    const result = priceStacks(stackOf({ C: { Type: 'AWS::EKS::Cluster', Properties: {} } }), edited);
    expect(result.accounts[0]?.unappliedUsage).toContain('karpenter root volumes (no EC2NodeClass rendered)');
  });
});
