import { queryOptions, useQuery } from '@tanstack/react-query';
import { useApiClient } from '../../../lib/api/api-context';
import type { ApiClient, Project } from '../../../lib/api/client';
import { call } from '../../../lib/api/errors';

export function projectKey(projectId: string) {
  return ['projects', projectId] as const;
}

export function getProject(api: ApiClient, projectId: string, signal?: AbortSignal): Promise<Project> {
  return call(api.GET('/api/v1/projects/{project_id}', { params: { path: { project_id: projectId } }, signal }));
}

export function projectQueryOptions(api: ApiClient, projectId: string) {
  return queryOptions({ queryKey: projectKey(projectId), queryFn: ({ signal }) => getProject(api, projectId, signal) });
}

export function useProject(projectId: string) {
  return useQuery(projectQueryOptions(useApiClient(), projectId));
}
