import { describe, expect, it } from 'vitest';
import { subnetLayout } from '../src/subnet-layout.ts';

const network = { vpcCidr: '10.0.0.0/16', azCount: 3, subnetMasks: { public: 24, app: 19, db: 24 } };

describe('subnet layout', () => {
  it('allocates the groups in order, one subnet per AZ, each aligned to its own mask (the CDK VPC rule)', () => {
    const layout = subnetLayout(network);
    expect(layout.public).toEqual({ cidrMask: 24, cidrs: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'] });
    expect(layout.app).toEqual({ cidrMask: 19, cidrs: ['10.0.32.0/19', '10.0.64.0/19', '10.0.96.0/19'] });
    expect(layout.db).toEqual({ cidrMask: 24, cidrs: ['10.0.128.0/24', '10.0.129.0/24', '10.0.130.0/24'] });
  });

  it('fails with the field name when the subnets do not fit the VPC', () => {
    expect(() => subnetLayout({ ...network, vpcCidr: '10.0.0.0/20' })).toThrow(/^network\.subnetMasks\.app: /);
  });
});
