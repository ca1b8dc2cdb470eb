import { queryOptions, useQuery } from '@tanstack/react-query';
import { useApiClient } from '../../../lib/api/api-context';
import type { ApiClient, Project } from '../../../lib/api/client';
import { call } from '../../../lib/api/errors';
import { fetchAllPages, MAX_PAGE_SIZE } from '../../../lib/api/pages';

export const projectsKey = ['projects'] as const;

/** Every project, oldest first (the API's stable order), following the cursor to the end. */
export function getProjects(api: ApiClient, signal?: AbortSignal): Promise<Project[]> {
  return fetchAllPages((cursor) =>
    call(api.GET('/api/v1/projects', { params: { query: { limit: MAX_PAGE_SIZE, cursor } }, signal })),
  );
}

export function projectsQueryOptions(api: ApiClient) {
  return queryOptions({ queryKey: projectsKey, queryFn: ({ signal }) => getProjects(api, signal) });
}

export function useProjects() {
  return useQuery(projectsQueryOptions(useApiClient()));
}
