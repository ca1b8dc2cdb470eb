import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReportError } from '../../../components/error-banner';
import { useApiClient } from '../../../lib/api/api-context';
import { type ApiClient, ifMatch, type Project } from '../../../lib/api/client';
import { call } from '../../../lib/api/errors';
import { applyOptimistic } from '../../../lib/optimistic';
import { projectKey } from './get-project';
import { projectsKey } from './get-projects';

export interface RenameProjectInput {
  project: Project;
  name: string;
}

export function renameProject(api: ApiClient, { project, name }: RenameProjectInput): Promise<Project> {
  return call(
    api.PATCH('/api/v1/projects/{project_id}', {
      params: { path: { project_id: project.id }, header: { 'If-Match': ifMatch(project) } },
      body: { name },
    }),
  );
}

/** Renames at once in the list; the old name comes back if the API refuses (taken name, stale version). */
export function useRenameProject() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const report = useReportError();
  return useMutation({
    mutationFn: (input: RenameProjectInput) => renameProject(api, input),
    onMutate: ({ project, name }) =>
      applyOptimistic<Project[]>(queryClient, projectsKey, (list) =>
        list.map((p) => (p.id === project.id ? { ...p, name } : p)),
      ),
    onError: (error, { project }, context) => {
      context?.rollback();
      report(error, `rename "${project.name}"`);
    },
    onSuccess: (project) => {
      queryClient.setQueryData(projectKey(project.id), project);
      queryClient.setQueryData<Project[]>(projectsKey, (list) => list?.map((p) => (p.id === project.id ? project : p)));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: projectsKey, exact: true }),
  });
}
