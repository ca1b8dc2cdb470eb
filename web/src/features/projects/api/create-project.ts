import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReportError } from '../../../components/error-banner';
import { useApiClient } from '../../../lib/api/api-context';
import type { ApiClient, Project } from '../../../lib/api/client';
import { ApiError, call } from '../../../lib/api/errors';
import { projectsKey } from './get-projects';

export interface CreateProjectInput {
  name: string;
  description?: string;
  /** Fixed per user action, so a retry after a lost response never creates a second project. */
  idempotencyKey: string;
}

export function createProject(api: ApiClient, input: CreateProjectInput): Promise<Project> {
  return call(
    api.POST('/api/v1/projects', {
      body: { name: input.name, ...(input.description ? { description: input.description } : {}) },
      params: { header: { 'Idempotency-Key': input.idempotencyKey } },
    }),
  );
}

export function useCreateProject() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const report = useReportError();
  return useMutation({
    // The caller makes the key once per user action: React Query retries with the same variables, so every retry
    // carries it (a key made in here would be new on each try, and a retry after a lost answer would create again).
    mutationFn: (input: CreateProjectInput) => createProject(api, input),
    // Safe to repeat thanks to the key. A lost answer is transient too: `call` turns fetch's rejection into status 0.
    retry: (count, error) => error instanceof ApiError && error.isTransient && count < 3,
    onError: (error) => report(error, 'create the project'),
    onSuccess: (project) => {
      queryClient.setQueryData<Project[]>(projectsKey, (list) => (list ? [...list, project] : list));
      return queryClient.invalidateQueries({ queryKey: projectsKey, exact: true });
    },
  });
}
