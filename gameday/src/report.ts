/** The game-day report: one Markdown page a person reads and one JSON document a tool reads, from the same data. */
import { type DrillOutcome, passed } from './drill.ts';

export interface RunReport {
  /** ISO 8601 start of the run. */
  startedAt: string;
  /** The commit under test (and whether the tree had uncommitted changes). */
  commit: string;
  machine: string;
  drills: Array<DrillOutcome & { seconds: number }>;
}

export function toMarkdown(report: RunReport): string {
  const lines = [
    `# Game day — ${report.startedAt}`,
    '',
    `Commit ${report.commit} on ${report.machine}.`,
    '',
    '| drill | result | requests sent | failed | writes acknowledged | lost | doubled | recovery | data lost | took |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const drill of report.drills) {
    const failed = drill.requests.expectedFailures
      ? `${drill.requests.failed} (expected ${drill.requests.expectedFailures.count})`
      : String(drill.requests.failed);
    lines.push(
      `| ${drill.name} | ${passed(drill) ? 'pass' : '**FAIL**'} | ${drill.requests.sent} | ${failed} | ` +
        `${drill.writes.acknowledged} | ${drill.writes.lost} | ${drill.writes.doubled} | ` +
        `${drill.recoverySeconds === undefined ? '—' : `${drill.recoverySeconds.toFixed(2)} s`} | ${drill.dataLost} | ` +
        `${drill.seconds.toFixed(1)} s |`,
    );
  }
  for (const drill of report.drills) {
    lines.push('', `## ${drill.name}`, '', drill.summary, '');
    if (drill.requests.expectedFailures) {
      lines.push(
        `Expected failures: ${drill.requests.expectedFailures.count} — ${drill.requests.expectedFailures.why}`,
        '',
      );
    }
    for (const [name, value] of Object.entries(drill.figures)) lines.push(`- ${name}: ${value}`);
    if (drill.failures.length > 0) {
      lines.push('', '**Failed criteria:**');
      for (const failure of drill.failures) lines.push(`- ${failure}`);
    }
  }
  const failedDrills = report.drills.filter((drill) => !passed(drill)).map((drill) => drill.name);
  lines.push(
    '',
    failedDrills.length === 0
      ? `All ${report.drills.length} drills passed.`
      : `${failedDrills.length} of ${report.drills.length} drills failed: ${failedDrills.join(', ')}.`,
  );
  return `${lines.join('\n')}\n`;
}
