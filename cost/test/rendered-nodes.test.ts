/** The Karpenter root volume comes from the EC2NodeClass deploy/ renders; a missing render is reported, not zero. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { karpenterRootVolume } from '../src/rendered-nodes.ts';
import { config, configWithUsage, priceStacks, stackOf } from './helpers.ts';

describe('Karpenter root volumes from the rendered EC2NodeClass', () => {
  it('follows the Argo CD Applications from the root folder and reads the root mapping', () => {
    const root = mkdtempSync(join(tmpdir(), 'cost-rendered-'));
    mkdirSync(join(root, 'deploy', 'root', 'x'), { recursive: true });
    mkdirSync(join(root, 'deploy', 'parts', 'x', 'platform'), { recursive: true });
    writeFileSync(
      join(root, 'deploy', 'root', 'x', 'argocd.yaml'),
      '---\nkind: Application\nspec:\n  source: { path: deploy/parts/x/platform }\n',
    );
    writeFileSync(
      join(root, 'deploy', 'parts', 'x', 'platform', 'platform.yaml'),
      '---\nkind: ConfigMap\n---\nkind: EC2NodeClass\nspec:\n  blockDeviceMappings:\n' +
        '    - deviceName: /dev/xvdb\n      ebs: { volumeSize: 200Gi, volumeType: gp3 }\n' +
        '    - deviceName: /dev/xvda\n      rootVolume: true\n      ebs: { volumeSize: 40Gi, volumeType: gp3 }\n',
    );
    expect(karpenterRootVolume('deploy/root/x', root)).toEqual({
      gib: 40,
      volumeType: 'gp3',
      from: 'deploy/parts/x/platform/platform.yaml',
    });
    expect(karpenterRootVolume('deploy/root/missing', root)).toBeUndefined();
  });

  it("Argo CD reaches one from every environment's root (the committed render)", () => {
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
