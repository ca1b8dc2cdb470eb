import { type FormEvent, useState } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { useReportError } from '../../../components/error-banner';
import type { Task, TaskStatus } from '../../../lib/api/client';
import { isPending } from '../api/create-task';
import { useDeleteTask } from '../api/delete-task';
import { useMoveTask } from '../api/move-task';
import { useUpdateTask } from '../api/update-task';
import { STATUS_LABELS, STATUSES } from '../logic/board';

/**
 * One task with every action as a plain control (buttons and a select), so the board works from the keyboard and
 * with screen readers; no drag-and-drop needed.
 */
export function TaskCard({ task, columnLength }: { task: Task; columnLength: number }) {
  const [editing, setEditing] = useState(false);
  const move = useMoveTask(task.project_id);
  const remove = useDeleteTask(task.project_id);
  const report = useReportError();
  const pending = isPending(task);

  function moveTo(status: TaskStatus, position: number) {
    move.mutate({ task, status, position }, { onError: (e) => report(e, `move "${task.title}"`) });
  }

  if (editing) return <EditTaskForm task={task} onDone={() => setEditing(false)} />;

  return (
    <li className="task" aria-busy={pending}>
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
          disabled={pending || task.position >= columnLength - 1}
          onClick={() => moveTo(task.status, task.position + 1)}
        >
          ↓
        </button>
        <label className="visually-hidden" htmlFor={`status-${task.id}`}>
          Column of {task.title}
        </label>
        <select
          id={`status-${task.id}`}
          value={task.status}
          disabled={pending}
          // A task moved to another column lands at its end, where the API puts it for a too-large position.
          onChange={(event) => moveTo(event.target.value as TaskStatus, Number.MAX_SAFE_INTEGER)}
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
          onConfirm={() => remove.mutate(task, { onError: (e) => report(e, `delete "${task.title}"`) })}
        />
      </div>
    </li>
  );
}

function EditTaskForm({ task, onDone }: { task: Task; onDone: () => void }) {
  const [title, setTitle] = useState(task.title);
  const [dueDate, setDueDate] = useState(task.due_date ?? '');
  const update = useUpdateTask(task.project_id);
  const report = useReportError();

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    onDone();
    update.mutate(
      { task, title: trimmed, dueDate: dueDate || null },
      { onError: (e) => report(e, `save "${trimmed}"`) },
    );
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
