import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReportError } from '../../../components/error-banner';
import { useApiClient } from '../../../lib/api/api-context';
import { type ApiClient, ifMatch, type Task } from '../../../lib/api/client';
import { call } from '../../../lib/api/errors';
import { applyOptimistic, refreshWhenIdle } from '../../../lib/optimistic';
import { removeTask } from '../logic/board';
import { boardScope, currentTask, taskMutationKey, tasksKey } from './get-tasks';

export async function deleteTask(api: ApiClient, task: Task): Promise<void> {
  await call(
    api.DELETE('/api/v1/projects/{project_id}/tasks/{task_id}', {
      params: { path: { project_id: task.project_id, task_id: task.id }, header: { 'If-Match': ifMatch(task) } },
    }),
  );
}

export function useDeleteTask(projectId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const report = useReportError();
  const key = tasksKey(projectId);
  return useMutation({
    mutationKey: taskMutationKey(projectId),
    scope: boardScope(projectId),
    mutationFn: (task: Task) => deleteTask(api, currentTask(queryClient, task)),
    onMutate: (task) => applyOptimistic<Task[]>(queryClient, key, (tasks) => removeTask(tasks, task.id)),
    onError: (error, task, context) => {
      context?.rollback();
      report(error, `delete "${task.title}"`);
    },
    onSettled: () => refreshWhenIdle(queryClient, taskMutationKey(projectId), key),
  });
}
