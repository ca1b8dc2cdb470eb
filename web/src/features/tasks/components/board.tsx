import { EmptyState, LoadError, Loading } from '../../../components/status';
import type { Task, TaskStatus } from '../../../lib/api/client';
import { useTasks } from '../api/get-tasks';
import { STATUS_LABELS, STATUSES, toColumns } from '../logic/board';
import { AddTaskForm } from './add-task-form';
import { FocusAfterMoveProvider } from './focus-after-move';
import { TaskCard } from './task-card';

export function Board({ projectId }: { projectId: string }) {
  const tasks = useTasks(projectId);
  if (tasks.isPending) return <Loading label="Loading tasks…" />;
  if (tasks.isError) return <LoadError error={tasks.error} what="the tasks" onRetry={() => tasks.refetch()} />;
  const columns = toColumns(tasks.data);
  const lengths = { todo: columns.todo.length, doing: columns.doing.length, done: columns.done.length };
  return (
    <FocusAfterMoveProvider>
      <div className="board">
        {STATUSES.map((status) => (
          <Column key={status} projectId={projectId} status={status} tasks={columns[status]} lengths={lengths} />
        ))}
      </div>
    </FocusAfterMoveProvider>
  );
}

function Column({
  projectId,
  status,
  tasks,
  lengths,
}: {
  projectId: string;
  status: TaskStatus;
  tasks: Task[];
  lengths: Readonly<Record<TaskStatus, number>>;
}) {
  const headingId = `column-${status}`;
  return (
    <section className="column" aria-labelledby={headingId} data-status={status}>
      <h2 id={headingId}>
        {STATUS_LABELS[status]} <span className="count">({tasks.length})</span>
      </h2>
      <AddTaskForm projectId={projectId} status={status} />
      {tasks.length === 0 ? (
        <EmptyState>Nothing here.</EmptyState>
      ) : (
        <ol className="tasks" aria-label={`${STATUS_LABELS[status]} tasks`}>
          {tasks.map((task) => (
            <TaskCard key={task.id} task={task} columnLengths={lengths} />
          ))}
        </ol>
      )}
    </section>
  );
}
