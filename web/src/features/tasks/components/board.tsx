import { EmptyState, LoadError, Loading } from '../../../components/status';
import type { Task, TaskStatus } from '../../../lib/api/client';
import { isPending } from '../api/create-task';
import { useTasks } from '../api/get-tasks';
import { useMoveTask } from '../api/move-task';
import { STATUS_LABELS, STATUSES, toColumns } from '../logic/board';
import { AddTaskForm } from './add-task-form';
import { type DropTask, taskDropTarget } from './drag-and-drop';
import { FocusAfterMoveProvider } from './focus-after-move';
import { TaskCard } from './task-card';

export function Board({ projectId }: { projectId: string }) {
  const tasks = useTasks(projectId);
  const move = useMoveTask(projectId);
  if (tasks.isPending) return <Loading label="Loading tasks…" />;
  if (tasks.isError) return <LoadError error={tasks.error} what="the tasks" onRetry={() => tasks.refetch()} />;
  const columns = toColumns(tasks.data);
  const lengths = { todo: columns.todo.length, doing: columns.doing.length, done: columns.done.length };
  const dropTask: DropTask = (taskId, status, position) => {
    const task = tasks.data.find((t) => t.id === taskId);
    if (!task || isPending(task) || (task.status === status && task.position === position)) return;
    move.mutate({ task, status, position });
  };
  return (
    <FocusAfterMoveProvider>
      <div className="board">
        {STATUSES.map((status) => (
          <Column
            key={status}
            projectId={projectId}
            status={status}
            tasks={columns[status]}
            lengths={lengths}
            dropTask={dropTask}
          />
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
  dropTask,
}: {
  projectId: string;
  status: TaskStatus;
  tasks: Task[];
  lengths: Readonly<Record<TaskStatus, number>>;
  dropTask: DropTask;
}) {
  const headingId = `column-${status}`;
  return (
    <section
      className="column"
      aria-labelledby={headingId}
      data-status={status}
      // Dropped on the column but not on a card: to its end.
      {...taskDropTarget((taskId) => dropTask(taskId, status, lengths[status]))}
    >
      <h2 id={headingId}>
        {STATUS_LABELS[status]} <span className="count">({tasks.length})</span>
      </h2>
      <AddTaskForm projectId={projectId} status={status} />
      {tasks.length === 0 ? (
        <EmptyState>Nothing here.</EmptyState>
      ) : (
        <ol className="tasks" aria-label={`${STATUS_LABELS[status]} tasks`}>
          {tasks.map((task) => (
            <TaskCard key={task.id} task={task} columnLengths={lengths} dropTask={dropTask} />
          ))}
        </ol>
      )}
    </section>
  );
}
