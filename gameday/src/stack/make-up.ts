/**
 * `make up` itself as a process of the drill's (`@innovate/local`'s MakeUpProcess), on a port and a data folder of the
 * drill's own, so a drill can kill the supervisor outright and start another on the same folder; plus what a drill
 * reads of it: the database it started and the children it recorded.
 */
import { join } from 'node:path';
import { MakeUpProcess } from '@innovate/local/src/make-up-process.ts';
import { localDatabaseUrl } from '@innovate/local/src/postgres/local-url.ts';
import {
  CHILDREN_FILE,
  type RecordedChild,
  readRecordedChildren,
} from '@innovate/local/src/supervisor/child-registry.ts';

export { listens } from '@innovate/local/src/supervisor/ports.ts';

export class MakeUp extends MakeUpProcess {
  /** The embedded PostgreSQL's application database, as its superuser (the local-only credentials). */
  get databaseUrl(): string {
    return localDatabaseUrl(this.postgresPort);
  }

  /** The children the supervisor has recorded in the data folder right now. */
  recordedChildren(): RecordedChild[] {
    const recorded = readRecordedChildren(join(this.options.dataDir, CHILDREN_FILE));
    return 'children' in recorded ? recorded.children : [];
  }
}
