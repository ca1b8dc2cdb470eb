/** Every drill by name; `make gameday` runs them in the order of DRILL_NAMES. */
import type { Drill, DrillName } from './drill.ts';
import { credentialRotation } from './drills/credential-rotation.ts';
import { databaseFailover } from './drills/database-failover.ts';
import { lostResponse } from './drills/lost-response.ts';
import { pointInTimeRestore } from './drills/point-in-time-restore.ts';
import { releaseWithMigration } from './drills/release-with-migration.ts';
import { rollback } from './drills/rollback.ts';
import { supervisorKilled } from './drills/supervisor-killed.ts';

export const DRILLS: Partial<Record<DrillName, Drill>> = {
  [releaseWithMigration.name]: releaseWithMigration,
  [credentialRotation.name]: credentialRotation,
  [databaseFailover.name]: databaseFailover,
  [pointInTimeRestore.name]: pointInTimeRestore,
  [rollback.name]: rollback,
  [lostResponse.name]: lostResponse,
  [supervisorKilled.name]: supervisorKilled,
};
