import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReportError } from '../../../components/error-banner';
import { useApiClient } from '../../../lib/api/api-context';
import { type ApiClient, ifMatch, type Project } from '../../../lib/api/client';
import { call } from '../../../lib/api/errors';
import { applyOptimistic } from '../../../lib/optimistic';
import { projectsKey } from './get-projects';

export async function deleteProject(api: ApiClient, project: Project): Promise<void> {
  await call(
    api.DELETE('/api/v1/projects/{project_id}', {
      params: { path: { project_id: project.id }, header: { 'If-Match': ifMatch(project) } },
    }),
  );
}

/** Removes the project from the list at once; it comes back if the API refuses. */
export function useDeleteProject() {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const report = useReportError();
  return useMutation({
    mutationFn: (project: Project) => deleteProject(api, project),
    onMutate: (project) =>
      applyOptimistic<Project[]>(queryClient, projectsKey, (list) => list.filter((p) => p.id !== project.id)),
    onError: (error, project, context) => {
      context?.rollback();
      report(error, `delete "${project.name}"`);
    },
    onSuccess: (_data, project) => queryClient.removeQueries({ queryKey: ['projects', project.id] }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: projectsKey, exact: true }),
  });
}
