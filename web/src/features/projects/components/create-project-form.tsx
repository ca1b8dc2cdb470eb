import { type FormEvent, useState } from 'react';
import { useCreateProject } from '../api/create-project';

export function CreateProjectForm() {
  const [name, setName] = useState('');
  const create = useCreateProject();

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    create.mutate({ name: trimmed }, { onSuccess: () => setName('') });
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
