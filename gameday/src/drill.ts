/**
 * What a drill is and what it reports. Every drill starts its own system (its own PostgreSQL data folder, API
 * processes and edge under the run's work folder), so drills never depend on each other's leftovers.
 */

/** The drills, in the order `make gameday` runs them; `make gameday DRILL=<name>` runs one. */
export const DRILL_NAMES = [
  'release-with-migration',
  'credential-rotation',
  'database-failover',
  'point-in-time-restore',
  'rollback',
  'lost-response',
  'supervisor-killed',
] as const;
export type DrillName = (typeof DRILL_NAMES)[number];

export interface DrillContext {
  /** The repository root (the working tree under test). */
  repoRoot: string;
  /** A folder of this drill's own, removed after the run. */
  workDir: string;
  /** A progress line for the person watching (prefixed with the drill's name). */
  log(line: string): void;
}

export interface RequestCounts {
  /** Every HTTP attempt the drill's clients made, retries included. */
  sent: number;
  /** Attempts that did not succeed (a 5xx, a network error, an unexpected 4xx). */
  failed: number;
  /**
   * Failures the drill causes by its nature (e.g. 503 while the database is down), counted within `failed`, and
   * why. Undefined when the drill tolerates none.
   */
  expectedFailures?: { count: number; why: string };
}

export interface WriteCounts {
  /** Writes the API acknowledged (201). */
  acknowledged: number;
  /** Acknowledged writes missing from the database afterwards. */
  lost: number;
  /** Writes present more than once (an Idempotency-Key that produced two rows). */
  doubled: number;
}

export interface DrillOutcome {
  name: DrillName;
  /** One line: what the drill did. */
  summary: string;
  requests: RequestCounts;
  writes: WriteCounts;
  /** Seconds until the system served again after the fault ended; undefined when nothing went down. */
  recoverySeconds?: number;
  /** Data lost, in words: "none", or what and how much. */
  dataLost: string;
  /** Other measured figures, with units in the key or the value. */
  figures: Record<string, string | number>;
  /** Each broken pass criterion, one line; empty when the drill passed. */
  failures: string[];
}

export interface Drill {
  name: DrillName;
  /** One line for the report and `make help`-like listings. */
  title: string;
  run(context: DrillContext): Promise<DrillOutcome>;
}

export function passed(outcome: DrillOutcome): boolean {
  return outcome.failures.length === 0;
}
