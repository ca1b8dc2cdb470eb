/** Every drill by name; `make gameday` runs them in the order of DRILL_NAMES. */
import type { Drill, DrillName } from './drill.ts';
import { databaseFailover } from './drills/database-failover.ts';
import { releaseWithMigration } from './drills/release-with-migration.ts';

export const DRILLS: Partial<Record<DrillName, Drill>> = {
  [releaseWithMigration.name]: releaseWithMigration,
  [databaseFailover.name]: databaseFailover,
};
