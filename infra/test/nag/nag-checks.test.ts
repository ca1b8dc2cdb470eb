/**
 * cdk-nag runs inside synth: the committed acknowledgements make an environment synthesize cleanly, and taking one
 * away makes synth fail on exactly that finding, so the gate is real and every acknowledgement is load-bearing.
 */
import { describe, expect, it } from 'vitest';
import { testApp } from '../../lib/app-context.ts';
import { WORKLOAD_ACKNOWLEDGEMENTS } from '../../lib/nag/acknowledgements.ts';
import { addNagChecks } from '../../lib/nag/nag-checks.ts';
import { addWorkloadStacks } from '../../lib/workload-app.ts';
import { config } from '../helpers/environment-stacks.ts';

function synthDev(acknowledgements: typeof WORKLOAD_ACKNOWLEDGEMENTS) {
  const app = testApp();
  addWorkloadStacks(app, config.organization, config.environment('dev'));
  addNagChecks(app, { acknowledgements, strict: true });
  return () => app.synth();
}

describe('cdk-nag AwsSolutions with the acknowledgements file', () => {
  it('dev synthesizes with zero unacknowledged findings', () => {
    expect(synthDev(WORKLOAD_ACKNOWLEDGEMENTS)).not.toThrow();
  });

  it('removing one acknowledgement makes synth fail on that finding', () => {
    const without = WORKLOAD_ACKNOWLEDGEMENTS.filter((ack) => !(ack.stack === 'network' && ack.path === 'DatabaseAcl'));
    expect(without.length).toBe(WORKLOAD_ACKNOWLEDGEMENTS.length - 1);
    expect(synthDev(without)).toThrow(/AwsSolutions-VPC3/);
  });

  it('an acknowledgement for a construct that does not exist is an error, not a silent no-op', () => {
    const stale = [
      ...WORKLOAD_ACKNOWLEDGEMENTS,
      { stack: 'network', path: 'NoSuchConstruct', ids: ['AwsSolutions-VPC3'], reason: 'x' },
    ];
    expect(() => synthDev(stale)).toThrow(/matches no construct/);
  });

  it('every acknowledgement carries a specific reason', () => {
    for (const ack of WORKLOAD_ACKNOWLEDGEMENTS) {
      expect(ack.reason.length, `${ack.stack}/${ack.path}`).toBeGreaterThan(60);
    }
  });
});
