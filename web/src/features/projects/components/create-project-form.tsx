import { type FormEvent, useRef, useState } from 'react';
import { newIdempotencyKey } from '../../../lib/api/client';
import { useCreateProject } from '../api/create-project';

export function CreateProjectForm() {
  const [name, setName] = useState('');
  const create = useCreateProject();
  // The key of the creation not yet known to have succeeded. Submitting the same name again after a failure reuses it:
  // the first try may have committed with its answer lost, and the API then replays that answer instead of refusing
  // the name as taken. Another name needs a new key (the API refuses a key reused with another body).
  const unconfirmed = useRef<{ name: string; key: string } | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    if (unconfirmed.current?.name !== trimmed) unconfirmed.current = { name: trimmed, key: newIdempotencyKey() };
    create.mutate(
      { name: trimmed, idempotencyKey: unconfirmed.current.key },
      {
        onSuccess: () => {
          unconfirmed.current = null;
          setName('');
        },
      },
    );
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-label="New project">
      <label htmlFor="new-project-name">Project name</label>
      <input
        id="new-project-name"
        value={name}
        maxLength={120}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" disabled={create.isPending || !name.trim()}>
        {create.isPending ? 'Creating…' : 'Create project'}
      </button>
    </form>
  );
}
