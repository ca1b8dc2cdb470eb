import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../../lib/api/client';
import { aProject } from '../../../testing/data';
import { deferred, type FakeFetch, json, problem, renderWithApi } from '../../../testing/render';
import { ProjectsList } from './projects-list';

/** Projects as the API would keep them; `onDelete` decides how deletes are answered. */
function fakeApi(projects: Project[], onDelete: () => Promise<Response>) {
  const requests: Request[] = [];
  const fetch: FakeFetch = async (request) => {
    requests.push(request.clone());
    const path = new URL(request.url).pathname;
    if (request.method === 'GET' && path === '/api/v1/projects') return json({ items: projects, next_cursor: null });
    if (request.method === 'POST' && path === '/api/v1/projects') {
      const body = (await request.json()) as { name: string };
      const project = aProject({ name: body.name });
      projects.push(project);
      return json(project, 201, { ETag: '"1"' });
    }
    if (request.method === 'DELETE') return onDelete();
    return problem(404, 'Not Found', `no fake for ${request.method} ${path}`);
  };
  return { fetch, requests };
}

const names = () => screen.queryAllByRole('link').map((link) => link.textContent);

describe('ProjectsList', () => {
  it('shows the empty state, then a created project, sent with an Idempotency-Key', async () => {
    const { fetch, requests } = fakeApi([], () => Promise.resolve(new Response(null, { status: 204 })));
    renderWithApi(<ProjectsList />, fetch);
    await screen.findByText('No projects yet. Create the first one above.');

    fireEvent.change(screen.getByLabelText('Project name'), { target: { value: '  Alpha  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create project' }));
    await waitFor(() => expect(names()).toEqual(['Alpha']));
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await post?.json()).toEqual({ name: 'Alpha' });
  });

  it('removes a project at once, and brings it back with an error when the API refuses', async () => {
    const answer = deferred<Response>();
    const { fetch, requests } = fakeApi(
      [aProject({ name: 'Alpha', version: 3 }), aProject({ name: 'Beta' })],
      () => answer.promise,
    );
    renderWithApi(<ProjectsList />, fetch);
    await waitFor(() => expect(names()).toEqual(['Alpha', 'Beta']));

    fireEvent.click(screen.getByRole('button', { name: 'Delete project Alpha' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete Alpha and its tasks' }));
    await waitFor(() => expect(names()).toEqual(['Beta']));
    expect(requests.find((r) => r.method === 'DELETE')?.headers.get('If-Match')).toBe('"3"');

    answer.resolve(problem(412, 'Precondition Failed', 'the project has changed'));
    await waitFor(() => expect(names()).toEqual(['Alpha', 'Beta']));
    expect(screen.getByRole('alert').textContent).toContain('Could not delete "Alpha"');
  });
});
