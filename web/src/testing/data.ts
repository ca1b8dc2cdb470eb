/** Test data builders: a valid entity with only the fields a test cares about changed. */
import type { Project, Task } from '../lib/api/client';

let counter = 0;

export function aTask(overrides: Partial<Task> = {}): Task {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    project_id: '11111111-1111-4111-8111-111111111111',
    title: `Task ${counter}`,
    status: 'todo',
    position: 0,
    due_date: null,
    created_at: '2026-11-28T12:00:00Z',
    updated_at: '2026-11-28T12:00:00Z',
    version: 1,
    ...overrides,
  };
}

export function aProject(overrides: Partial<Project> = {}): Project {
  counter += 1;
  return {
    id: `22222222-2222-4222-8222-${String(counter).padStart(12, '0')}`,
    name: `Project ${counter}`,
    description: '',
    created_at: '2026-11-28T12:00:00Z',
    updated_at: '2026-11-28T12:00:00Z',
    version: 1,
    ...overrides,
  };
}
