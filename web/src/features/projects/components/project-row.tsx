import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { ConfirmButton } from '../../../components/confirm-button';
import type { Project } from '../../../lib/api/client';
import { useDeleteProject } from '../api/delete-project';
import { useRenameProject } from '../api/update-project';

export function ProjectRow({ project }: { project: Project }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);
  const rename = useRenameProject();
  const remove = useDeleteProject();

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    setEditing(false);
    if (!trimmed || trimmed === project.name) return;
    rename.mutate({ project, name: trimmed });
  }

  if (editing) {
    return (
      <li className="project-row">
        <form className="inline-form" onSubmit={submit}>
          <label htmlFor={`rename-${project.id}`}>New name for {project.name}</label>
          <input
            id={`rename-${project.id}`}
            value={name}
            maxLength={120}
            required
            // biome-ignore lint/a11y/noAutofocus: the user just asked to edit this field
            autoFocus
            onChange={(event) => setName(event.target.value)}
            onKeyDown={(event) => event.key === 'Escape' && setEditing(false)}
          />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      </li>
    );
  }

  return (
    <li className="project-row">
      <Link href={`/projects/${project.id}`}>{project.name}</Link>
      <span className="actions">
        <button
          type="button"
          aria-label={`Rename project ${project.name}`}
          onClick={() => {
            setName(project.name);
            setEditing(true);
          }}
        >
          Rename
        </button>
        <ConfirmButton
          label={`Delete project ${project.name}`}
          confirmLabel={`Delete ${project.name} and its tasks`}
          onConfirm={() => remove.mutate(project)}
        />
      </span>
    </li>
  );
}
