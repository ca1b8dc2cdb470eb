import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReportError } from '../../../components/error-banner';
import { useApiClient } from '../../../lib/api/api-context';
import { type ApiClient, newIdempotencyKey, type Project } from '../../../lib/api/client';
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
    mutationFn: (input: Omit<CreateProjectInput, 'idempotencyKey'> & { idempotencyKey?: string }) =>
      createProject(api, { ...input, idempotencyKey: input.idempotencyKey ?? newIdempotencyKey() }),
    // Safe to repeat thanks to the Idempotency-Key, which is fixed before the first try.
    retry: (count, error) => error instanceof ApiError && error.isTransient && count < 3,
    onError: (error) => report(error, 'create the project'),
    onSuccess: (project) => {
      queryClient.setQueryData<Project[]>(projectsKey, (list) => (list ? [...list, project] : list));
      return queryClient.invalidateQueries({ queryKey: projectsKey, exact: true });
    },
  });
}
