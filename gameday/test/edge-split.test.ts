import { describe, expect, it } from 'vitest';
import { CanaryEdge } from '../src/stack/edge.ts';

const stable = new URL('http://127.0.0.1:1001');
const canary = new URL('http://127.0.0.1:1002');

function share(edge: CanaryEdge, requests: number): number {
  let toCanary = 0;
  for (let i = 0; i < requests; i++) if (edge.pick() === canary) toCanary++;
  return toCanary;
}

describe('the canary split', () => {
  it('sends exactly the canary percentage of every 100 requests to the canary', () => {
    const edge = new CanaryEdge('/repo', stable, 'http://127.0.0.1:9');
    edge.canary = canary;
    for (const percent of [0, 10, 50, 100]) {
      edge.canaryPercent = percent;
      expect(share(edge, 1_000)).toBe(percent * 10);
    }
  });

  it('sends everything to stable when there is no canary, whatever the weight', () => {
    const edge = new CanaryEdge('/repo', stable, 'http://127.0.0.1:9');
    edge.canaryPercent = 50;
    expect(share(edge, 100)).toBe(0);
  });
});
