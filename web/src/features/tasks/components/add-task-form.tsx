import { type FormEvent, useState } from 'react';
import { newIdempotencyKey, type TaskStatus } from '../../../lib/api/client';
import { useCreateTask } from '../api/create-task';
import { STATUS_LABELS } from '../logic/board';

export function AddTaskForm({ projectId, status }: { projectId: string; status: TaskStatus }) {
  const [title, setTitle] = useState('');
  const create = useCreateTask(projectId);
  const inputId = `new-task-${status}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    // Cleared at once: the task shows in the column optimistically, and comes out again with an error if refused.
    setTitle('');
    create.mutate({ title: trimmed, status, dueDate: null, idempotencyKey: newIdempotencyKey() });
  }

  return (
    <form className="add-task" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={inputId}>
        New task in {STATUS_LABELS[status]}
      </label>
      <input
        id={inputId}
        value={title}
        maxLength={200}
        placeholder="New task"
        onChange={(event) => setTitle(event.target.value)}
      />
      <button type="submit" aria-label={`Add task to ${STATUS_LABELS[status]}`} disabled={!title.trim()}>
        Add
      </button>
    </form>
  );
}
