import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Project } from '../../../lib/api/client';
import { aProject } from '../../../testing/data';
import { type FakeFetch, json, problem, renderWithApi } from '../../../testing/render';
import { ProjectsList } from './projects-list';

/**
 * An API that keeps Idempotency-Keys as the real one does (a repeated key replays the first answer; a second project
 * of the same name is a 409), and whose first `lose` create answers are lost on the way back: the project is
 * committed, but the browser's fetch rejects as on a reset connection.
 */
function apiThatLosesAnswers(lose: number) {
  const projects: Project[] = [];
  const byKey = new Map<string, Project>();
  const postKeys: string[] = [];
  const fetch: FakeFetch = async (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === 'GET' && path === '/api/v1/projects') return json({ items: projects, next_cursor: null });
    if (request.method === 'POST' && path === '/api/v1/projects') {
      const key = request.headers.get('Idempotency-Key') ?? '';
      postKeys.push(key);
      const { name } = (await request.json()) as { name: string };
      let project = byKey.get(key);
      if (!project) {
        if (projects.some((p) => p.name === name))
          return problem(409, 'Conflict', `a project named "${name}" already exists`);
        project = aProject({ name });
        projects.push(project);
        byKey.set(key, project);
      }
      if (postKeys.length <= lose) throw new TypeError('Failed to fetch');
      return json(project, 201, { ETag: '"1"' });
    }
    return problem(404, 'Not Found', `no fake for ${request.method} ${path}`);
  };
  return { fetch, projects, postKeys };
}

const names = () => screen.queryAllByRole('link').map((link) => link.textContent);

async function createProject(name: string) {
  fireEvent.change(screen.getByLabelText('Project name'), { target: { value: name } });
  fireEvent.click(screen.getByRole('button', { name: 'Create project' }));
}

describe('CreateProjectForm when the answer is lost', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries with the same Idempotency-Key and shows the one project it created', async () => {
    const api = apiThatLosesAnswers(1);
    renderWithApi(<ProjectsList />, api.fetch);
    await screen.findByText('No projects yet. Create the first one above.');

    await createProject('Alpha');
    // React Query waits 1 s before the first retry.
    await waitFor(() => expect(names()).toEqual(['Alpha']), { timeout: 4_000 });
    expect(api.postKeys).toHaveLength(2);
    expect(api.postKeys[1]).toBe(api.postKeys[0]);
    expect(api.projects.map((p) => p.name)).toEqual(['Alpha']);
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByLabelText('Project name') as HTMLInputElement).value).toBe('');
  });

  it('uses the same key when the user submits the same name again after every retry failed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = apiThatLosesAnswers(4);
    renderWithApi(<ProjectsList />, api.fetch);
    await screen.findByText('No projects yet. Create the first one above.');

    await createProject('Alpha');
    // Skips React Query's 1 + 2 + 4 s between the retries; then the error is shown.
    await vi.advanceTimersByTimeAsync(7_500);
    await screen.findByRole('alert');
    expect(api.postKeys).toHaveLength(4);
    expect(new Set(api.postKeys).size).toBe(1);

    fireEvent.click(screen.getByRole('button', { name: 'Create project' }));
    await waitFor(() => expect(api.postKeys).toHaveLength(5));
    await waitFor(() => expect(names()).toEqual(['Alpha']));
    expect(new Set(api.postKeys).size).toBe(1);
    expect(api.projects).toHaveLength(1);
  });

  it('uses a new key for the next project', async () => {
    const api = apiThatLosesAnswers(0);
    renderWithApi(<ProjectsList />, api.fetch);
    await screen.findByText('No projects yet. Create the first one above.');

    await createProject('Alpha');
    await waitFor(() => expect(names()).toEqual(['Alpha']));
    await createProject('Beta');
    await waitFor(() => expect(names()).toEqual(['Alpha', 'Beta']));
    expect(api.postKeys).toHaveLength(2);
    expect(api.postKeys[1]).not.toBe(api.postKeys[0]);
  });
});
