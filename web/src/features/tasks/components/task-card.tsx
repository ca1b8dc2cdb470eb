import { type FormEvent, useRef, useState } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import type { Task, TaskStatus } from '../../../lib/api/client';
import { isPending } from '../api/create-task';
import { useDeleteTask } from '../api/delete-task';
import { useMoveTask } from '../api/move-task';
import { useUpdateTask } from '../api/update-task';
import { STATUS_LABELS, STATUSES } from '../logic/board';
import { type DropTask, draggableTask, taskDropTarget } from './drag-and-drop';
import { useFocusAfterMove } from './focus-after-move';

/**
 * One task with every action as a plain control (buttons and a select), so the board works from the keyboard and
 * with screen readers; no drag-and-drop needed.
 */
export function TaskCard({
  task,
  columnLengths,
  dropTask,
}: {
  task: Task;
  columnLengths: Readonly<Record<TaskStatus, number>>;
  dropTask: DropTask;
}) {
  const [editing, setEditing] = useState(false);
  const move = useMoveTask(task.project_id);
  const remove = useDeleteTask(task.project_id);
  const pending = isPending(task);
  const columnSelect = useRef<HTMLSelectElement>(null);
  const rememberFocus = useFocusAfterMove(task.id, columnSelect);

  function moveTo(status: TaskStatus, position: number) {
    if (status !== task.status) rememberFocus(task.id);
    move.mutate({ task, status, position });
  }

  if (editing) return <EditTaskForm task={task} onDone={() => setEditing(false)} />;

  return (
    <li
      className="task"
      aria-busy={pending}
      {...draggableTask(task.id, !pending)}
      // Dropped on this card: the dragged task takes its place.
      {...taskDropTarget((taskId) => dropTask(taskId, task.status, task.position))}
    >
      <p className="task-title">{task.title}</p>
      {task.due_date && (
        <p className="task-due">
          Due <time dateTime={task.due_date}>{task.due_date}</time>
        </p>
      )}
      <div className="task-actions">
        <button
          type="button"
          aria-label={`Move ${task.title} up`}
          disabled={pending || task.position === 0}
          onClick={() => moveTo(task.status, task.position - 1)}
        >
          ↑
        </button>
        <button
          type="button"
          aria-label={`Move ${task.title} down`}
          disabled={pending || task.position >= columnLengths[task.status] - 1}
          onClick={() => moveTo(task.status, task.position + 1)}
        >
          ↓
        </button>
        <label className="visually-hidden" htmlFor={`status-${task.id}`}>
          Column of {task.title}
        </label>
        <select
          id={`status-${task.id}`}
          ref={columnSelect}
          value={task.status}
          disabled={pending}
          // A task moved to another column lands at its end.
          onChange={(event) => {
            const status = event.target.value as TaskStatus;
            moveTo(status, columnLengths[status]);
          }}
        >
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
        <button type="button" aria-label={`Edit ${task.title}`} disabled={pending} onClick={() => setEditing(true)}>
          Edit
        </button>
        <ConfirmButton
          label={`Delete ${task.title}`}
          confirmLabel="Confirm delete"
          disabled={pending}
          onConfirm={() => remove.mutate(task)}
        />
      </div>
    </li>
  );
}

function EditTaskForm({ task, onDone }: { task: Task; onDone: () => void }) {
  const [title, setTitle] = useState(task.title);
  const [dueDate, setDueDate] = useState(task.due_date ?? '');
  const update = useUpdateTask(task.project_id);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    onDone();
    update.mutate({ task, title: trimmed, dueDate: dueDate || null });
  }

  return (
    <li className="task editing">
      <form onSubmit={submit} aria-label={`Edit ${task.title}`}>
        <label htmlFor={`title-${task.id}`}>Title</label>
        <input
          id={`title-${task.id}`}
          value={title}
          maxLength={200}
          required
          // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this task
          autoFocus
          onChange={(event) => setTitle(event.target.value)}
          onKeyDown={(event) => event.key === 'Escape' && onDone()}
        />
        <label htmlFor={`due-${task.id}`}>Due date</label>
        <input id={`due-${task.id}`} type="date" value={dueDate} onChange={(event) => setDueDate(event.target.value)} />
        <button type="submit">Save</button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </form>
    </li>
  );
}
