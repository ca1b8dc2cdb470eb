import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../lib/api/client';
import { aTask } from '../../../testing/data';
import { deferred, type FakeFetch, json, problem, renderWithApi } from '../../../testing/render';
import { moveTask } from '../logic/board';
import { Board } from './board';

const PROJECT = '11111111-1111-4111-8111-111111111111';

function titlesIn(column: 'To do' | 'Doing' | 'Done'): string[] {
  const list = screen.queryByRole('list', { name: `${column} tasks` });
  if (!list) return [];
  return within(list)
    .getAllByRole('listitem')
    .map((item) => item.querySelector('.task-title')?.textContent ?? '');
}

/** The API as far as the board needs it: list tasks, and move answered by `onMove`. */
function fakeApi(
  tasks: Task[],
  onMove: (request: Request, body: { status: string; position: number }) => Promise<Response>,
) {
  const seen: { method: string; path: string; ifMatch: string | null }[] = [];
  const fetch: FakeFetch = async (request) => {
    const path = new URL(request.url).pathname;
    seen.push({ method: request.method, path, ifMatch: request.headers.get('If-Match') });
    if (request.method === 'GET' && path === `/api/v1/projects/${PROJECT}/tasks`) {
      return json({ items: tasks, next_cursor: null });
    }
    if (request.method === 'POST' && path.endsWith('/move')) return onMove(request, await request.json());
    return problem(404, 'Not Found', `no fake for ${request.method} ${path}`);
  };
  return { fetch, seen };
}

describe('Board', () => {
  const tasks = [
    aTask({ id: 'a1', title: 'Write the spec', position: 0 }),
    aTask({ id: 'b2', title: 'Build it', position: 1 }),
  ];

  it('shows a loading state, then the tasks by column, and an empty state for empty columns', async () => {
    const { fetch } = fakeApi(tasks, async () => problem(500, 'x', 'x'));
    renderWithApi(<Board projectId={PROJECT} />, fetch);
    expect(screen.getByText('Loading tasks…').getAttribute('role')).toBe('status');
    await waitFor(() => expect(titlesIn('To do')).toEqual(['Write the spec', 'Build it']));
    expect(screen.getAllByText('Nothing here.')).toHaveLength(2);
  });

  it('moves at once, and puts the task back with a visible error when the API refuses', async () => {
    const answer = deferred<Response>();
    const { fetch } = fakeApi(tasks, () => answer.promise);
    renderWithApi(<Board projectId={PROJECT} />, fetch);
    await waitFor(() => expect(titlesIn('To do')).toHaveLength(2));

    fireEvent.change(screen.getByLabelText('Column of Build it'), { target: { value: 'doing' } });
    // Optimistic: moved before the API has answered.
    await waitFor(() => expect(titlesIn('Doing')).toEqual(['Build it']));
    expect(titlesIn('To do')).toEqual(['Write the spec']);
    // The card re-mounted in its new column and took the keyboard focus with it; screen readers hear where it went.
    expect(document.activeElement).toBe(screen.getByLabelText('Column of Build it'));
    expect(screen.getByText('Build it moved to Doing, position 1').getAttribute('aria-live')).toBe('polite');

    answer.resolve(problem(412, 'Precondition Failed', 'the task has changed'));
    await waitFor(() => expect(titlesIn('To do')).toEqual(['Write the spec', 'Build it']));
    expect(titlesIn('Doing')).toEqual([]);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not move "Build it"');
    expect(alert.textContent).toContain('req-test-1');
  });

  it('shows a new task at once, and takes it out again with an error when the API refuses it', async () => {
    const answer = deferred<Response>();
    const sent: Request[] = [];
    const fetch: FakeFetch = async (request) => {
      const path = new URL(request.url).pathname;
      if (request.method === 'GET') return json({ items: tasks, next_cursor: null });
      if (request.method === 'POST' && path.endsWith('/tasks')) {
        sent.push(request);
        return answer.promise;
      }
      return problem(404, 'Not Found', `no fake for ${request.method} ${path}`);
    };
    renderWithApi(<Board projectId={PROJECT} />, fetch);
    await waitFor(() => expect(titlesIn('To do')).toHaveLength(2));

    fireEvent.change(screen.getByLabelText('New task in Doing'), { target: { value: '  Review  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add task to Doing' }));
    await waitFor(() => expect(titlesIn('Doing')).toEqual(['Review']));
    expect(sent[0]?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sent[0]?.json()).toEqual({ title: 'Review', status: 'doing' });

    answer.resolve(problem(422, 'Unprocessable Content', 'the title is not allowed'));
    await waitFor(() => expect(titlesIn('Doing')).toEqual([]));
    expect(screen.getByRole('alert').textContent).toContain('Could not add "Review"');
  });

  it('keeps a move the API accepted, and sends the version it returned with the next move', async () => {
    // A fake that stores moves (positions as the API keeps them) and bumps the moved task's version.
    const stored = tasks.map((task) => ({ ...task }));
    const { fetch, seen } = fakeApi(stored, async (request, body) => {
      // Slow enough that the second click happens while the first move is still in flight.
      await new Promise((done) => setTimeout(done, 150));
      const id = new URL(request.url).pathname.split('/').at(-2) ?? '';
      const after = moveTask(stored, id, body.status as Task['status'], body.position);
      stored.splice(0, stored.length, ...after);
      const moved = stored.find((task) => task.id === id) as Task;
      moved.version += 1;
      return json(moved, 200, { ETag: `"${moved.version}"` });
    });
    renderWithApi(<Board projectId={PROJECT} />, fetch);
    await waitFor(() => expect(titlesIn('To do')).toHaveLength(2));

    fireEvent.click(screen.getByRole('button', { name: 'Move Build it up' }));
    // Optimistically at the top now, so "down" is enabled before the API has answered the first move.
    const down = screen.getByRole('button', { name: 'Move Build it down' });
    await waitFor(() => expect(down.hasAttribute('disabled')).toBe(false));
    fireEvent.click(down);
    await waitFor(() => expect(seen.filter((r) => r.path.endsWith('/move'))).toHaveLength(2));
    // The two moves went out one after the other, the second with the version the first produced.
    expect(seen.filter((r) => r.path.endsWith('/move')).map((r) => r.ifMatch)).toEqual(['"1"', '"2"']);
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect(titlesIn('To do')).toEqual(['Write the spec', 'Build it']));
  });
});
