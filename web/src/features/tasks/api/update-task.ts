import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReportError } from '../../../components/error-banner';
import { useApiClient } from '../../../lib/api/api-context';
import { type ApiClient, ifMatch, type Task } from '../../../lib/api/client';
import { call } from '../../../lib/api/errors';
import { applyOptimistic, refreshWhenIdle } from '../../../lib/optimistic';
import { replaceTask } from '../logic/board';
import { boardScope, currentTask, taskMutationKey, tasksKey } from './get-tasks';

export interface UpdateTaskInput {
  task: Task;
  title: string;
  dueDate: string | null;
}

export function updateTask(api: ApiClient, { task, title, dueDate }: UpdateTaskInput): Promise<Task> {
  return call(
    api.PATCH('/api/v1/projects/{project_id}/tasks/{task_id}', {
      params: { path: { project_id: task.project_id, task_id: task.id }, header: { 'If-Match': ifMatch(task) } },
      body: { title, due_date: dueDate },
    }),
  );
}

export function useUpdateTask(projectId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const report = useReportError();
  const key = tasksKey(projectId);
  return useMutation({
    mutationKey: taskMutationKey(projectId),
    scope: boardScope(projectId),
    mutationFn: (input: UpdateTaskInput) => updateTask(api, { ...input, task: currentTask(queryClient, input.task) }),
    onMutate: ({ task, title, dueDate }) =>
      applyOptimistic<Task[]>(queryClient, key, (tasks) => replaceTask(tasks, task.id, { title, due_date: dueDate })),
    onError: (error, { task }, context) => {
      context?.rollback();
      report(error, `save "${task.title}"`);
    },
    onSuccess: (task) => queryClient.setQueryData<Task[]>(key, (tasks) => tasks && replaceTask(tasks, task.id, task)),
    onSettled: () => refreshWhenIdle(queryClient, taskMutationKey(projectId), key),
  });
}
