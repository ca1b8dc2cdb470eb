import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { useApiClient } from '../../../lib/api/api-context';
import type { ApiClient, Task } from '../../../lib/api/client';
import { call } from '../../../lib/api/errors';
import { fetchAllPages, MAX_PAGE_SIZE } from '../../../lib/api/pages';

/** The cache entry of a project's board: all its tasks. */
export function tasksKey(projectId: string) {
  return ['projects', projectId, 'tasks'] as const;
}

/** Groups every task mutation of a project, to refetch only once the last one has settled. */
export function taskMutationKey(projectId: string) {
  return ['tasks', projectId] as const;
}

export function getTasks(api: ApiClient, projectId: string, signal?: AbortSignal): Promise<Task[]> {
  return fetchAllPages((cursor) =>
    call(
      api.GET('/api/v1/projects/{project_id}/tasks', {
        params: { path: { project_id: projectId }, query: { limit: MAX_PAGE_SIZE, cursor } },
        signal,
      }),
    ),
  );
}

/**
 * One queue per board: its mutations reach the API one at a time, in click order. Positions of one task depend on
 * the others', and each request must carry the version the previous one produced; the optimistic changes still
 * show at once.
 */
export function boardScope(projectId: string) {
  return { id: `board:${projectId}` };
}

export function tasksQueryOptions(api: ApiClient, projectId: string) {
  return queryOptions({ queryKey: tasksKey(projectId), queryFn: ({ signal }) => getTasks(api, projectId, signal) });
}

export function useTasks(projectId: string) {
  return useQuery(tasksQueryOptions(useApiClient(), projectId));
}

/**
 * The task as the cache has it now. Mutations read the version here when they run, not when the user clicked: two
 * quick moves of one task run one after the other (same mutation scope), and the second must send the version the
 * first one produced.
 */
export function currentTask(queryClient: QueryClient, task: Task): Task {
  return queryClient.getQueryData<Task[]>(tasksKey(task.project_id))?.find((t) => t.id === task.id) ?? task;
}
