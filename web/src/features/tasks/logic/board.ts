/**
 * The board's position arithmetic, the same rules the API applies, so an optimistic change shows what the server
 * will store: positions are 0..n-1 within each status column; moving removes a task from its column (closing the
 * gap) and inserts it at the target position, clamped to the end of the target column.
 */
import type { Task, TaskStatus } from '../../../lib/api/client';

export const STATUSES: readonly TaskStatus[] = ['todo', 'doing', 'done'];

export const STATUS_LABELS: Readonly<Record<TaskStatus, string>> = {
  todo: 'To do',
  doing: 'Doing',
  done: 'Done',
};

export type Columns = Record<TaskStatus, Task[]>;

/** The tasks of each column in position order. */
export function toColumns(tasks: readonly Task[]): Columns {
  const columns: Columns = { todo: [], doing: [], done: [] };
  for (const task of tasks) columns[task.status].push(task);
  for (const status of STATUSES) columns[status].sort(byPosition);
  return columns;
}

function byPosition(a: Task, b: Task): number {
  return a.position - b.position || a.created_at.localeCompare(b.created_at);
}

/** Flattens columns back to tasks with positions renumbered 0..n-1 per column. */
function fromColumns(columns: Columns): Task[] {
  return STATUSES.flatMap((status) =>
    columns[status].map((task, position) =>
      task.status === status && task.position === position ? task : { ...task, status, position },
    ),
  );
}

/** `tasks` after moving `taskId` to `status` at `position` (clamped to the column's end). Unknown id: unchanged. */
export function moveTask(tasks: readonly Task[], taskId: string, status: TaskStatus, position: number): Task[] {
  const columns = toColumns(tasks);
  const moving = tasks.find((task) => task.id === taskId);
  if (!moving) return [...tasks];
  columns[moving.status] = columns[moving.status].filter((task) => task.id !== taskId);
  const target = columns[status];
  const at = Math.min(Math.max(0, Math.trunc(position)), target.length);
  target.splice(at, 0, moving);
  return fromColumns(columns);
}

/** `tasks` without `taskId`; the tasks after it in its column move up one. */
export function removeTask(tasks: readonly Task[], taskId: string): Task[] {
  const columns = toColumns(tasks.filter((task) => task.id !== taskId));
  return fromColumns(columns);
}

/** `tasks` with `task` appended at the end of its column (where the API puts a new task). */
export function appendTask(tasks: readonly Task[], task: Task): Task[] {
  const columns = toColumns(tasks);
  columns[task.status].push(task);
  return fromColumns(columns);
}

/** `tasks` with the fields of `taskId` replaced (e.g. by the server's answer, which carries the new version). */
export function replaceTask(tasks: readonly Task[], taskId: string, patch: Partial<Task>): Task[] {
  return tasks.map((task) => (task.id === taskId ? { ...task, ...patch } : task));
}

/** The column to the left (-1) or right (+1) of `status`, or undefined at the board's edge. */
export function neighbourStatus(status: TaskStatus, step: -1 | 1): TaskStatus | undefined {
  return STATUSES[STATUSES.indexOf(status) + step];
}
