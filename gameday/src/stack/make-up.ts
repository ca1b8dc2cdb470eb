/**
 * `make up` itself as a process of the drill's (`@innovate/local`'s MakeUpProcess), on a port and a data folder of the
 * drill's own, so a drill can kill the supervisor outright and start another on the same folder; plus what a drill
 * reads of it: the database it started and the children it recorded.
 */
import { join } from 'node:path';
import { MakeUpProcess } from '@innovate/local/src/make-up-process.ts';
import { LOCAL_PASSWORD, LOCAL_USER } from '@innovate/local/src/postgres/server.ts';
import {
  CHILDREN_FILE,
  type RecordedChild,
  readRecordedChildren,
} from '@innovate/local/src/supervisor/child-registry.ts';

export { listens } from '@innovate/local/src/supervisor/ports.ts';

export class MakeUp extends MakeUpProcess {
  /** The embedded PostgreSQL's application database, as its superuser (the local-only credentials). */
  get databaseUrl(): string {
    return `postgresql://${LOCAL_USER}:${LOCAL_PASSWORD}@127.0.0.1:${this.postgresPort}/innovate`;
  }

  /** The children the supervisor has recorded in the data folder right now. */
  recordedChildren(): RecordedChild[] {
    const recorded = readRecordedChildren(join(this.options.dataDir, CHILDREN_FILE));
    return 'children' in recorded ? recorded.children : [];
  }
}
