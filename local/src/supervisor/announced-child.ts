/**
 * A child that announces it is ready by printing one line of its own (`DATABASE_URL=…`, `ISSUER=…`): the runners of
 * PostgreSQL and of the OpenID provider do, and `make up` and the game days wait for that line the same way.
 */
import { type Child, type ChildOptions, startChild } from './child.ts';

/** The child ended before it printed its announcement. */
export class ExitedBeforeReady extends Error {
  override name = 'ExitedBeforeReady';

  constructor(
    readonly what: string,
    readonly code: number,
    /** Its last output lines (up to 20), for a message where nobody saw them. */
    readonly lastLines: readonly string[],
  ) {
    super(`${what} exited with code ${code} before it was ready`);
  }
}

export interface AnnouncingChildOptions extends Omit<ChildOptions, 'onLine'> {
  /** Matches the announcement line (trimmed); its first group is the announced value. */
  announcement: RegExp;
  /** What the child is, for the error, e.g. "PostgreSQL". */
  what: string;
  /** Every other output line. */
  onLine?: (line: string) => void;
}

export interface AnnouncingChild {
  child: Child;
  /** The announced value; rejects with ExitedBeforeReady when the child ends first. */
  announced: Promise<string>;
}

export function startAnnouncingChild(options: AnnouncingChildOptions): AnnouncingChild {
  const { announcement, what, onLine, ...childOptions } = options;
  let announce: (value: string) => void = () => {};
  const lastLines: string[] = [];
  const announcedLine = new Promise<string>((done) => {
    announce = done;
  });
  const child = startChild({
    ...childOptions,
    onLine: (line) => {
      const value = announcement.exec(line.trim())?.[1];
      if (value) {
        announce(value);
        return;
      }
      lastLines.push(line);
      if (lastLines.length > 20) lastLines.shift();
      onLine?.(line);
    },
  });
  const exitedFirst = child.exited.then((code): never => {
    throw new ExitedBeforeReady(what, code, lastLines);
  });
  const announced = Promise.race([announcedLine, exitedFirst]);
  // A child that exits after announcing is not an error of this promise: its owner watches `child.exited`.
  exitedFirst.catch(() => {});
  return { child, announced };
}
