import { describe, expect, it } from 'vitest';
import type { DrillOutcome } from '../src/drill.ts';
import { toMarkdown } from '../src/report.ts';

function outcome(overrides: Partial<DrillOutcome>): DrillOutcome & { seconds: number } {
  return {
    name: 'database-failover',
    summary: 'PostgreSQL was killed.',
    requests: { sent: 400, failed: 0 },
    writes: { acknowledged: 120, lost: 0, doubled: 0 },
    dataLost: 'none',
    figures: {},
    failures: [],
    seconds: 12.3,
    ...overrides,
  };
}

const run = { startedAt: '2026-12-03T08:00:00Z', commit: 'abc1234', machine: '2 cores' };

describe('the report', () => {
  it('shows the counts of a passed drill and says all passed', () => {
    const markdown = toMarkdown({
      ...run,
      drills: [
        outcome({
          requests: { sent: 400, failed: 150, expectedFailures: { count: 150, why: '503 while the database is down' } },
          recoverySeconds: 0.04,
        }),
      ],
    });
    expect(markdown).toContain(
      '| database-failover | pass | 400 | 150 (expected 150) | 120 | 0 | 0 | 0.04 s | none | 12.3 s |',
    );
    expect(markdown).toContain('Expected failures: 150 — 503 while the database is down');
    expect(markdown).toContain('All 1 drills passed.');
  });

  it('marks a failed drill and lists each broken criterion', () => {
    const markdown = toMarkdown({
      ...run,
      drills: [
        outcome({}),
        outcome({
          name: 'rollback',
          writes: { acknowledged: 9, lost: 2, doubled: 0 },
          failures: ['2 acknowledged writes lost'],
        }),
      ],
    });
    expect(markdown).toContain('| rollback | **FAIL** |');
    expect(markdown).toContain('- 2 acknowledged writes lost');
    expect(markdown).toContain('1 of 2 drills failed: rollback.');
  });
});
