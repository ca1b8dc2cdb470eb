import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useReportError } from '../../../components/error-banner';
import { useApiClient } from '../../../lib/api/api-context';
import type { ApiClient, Task, TaskStatus } from '../../../lib/api/client';
import { ApiError, call } from '../../../lib/api/errors';
import { applyOptimistic, refreshWhenIdle } from '../../../lib/optimistic';
import { appendTask, removeTask, replaceTask } from '../logic/board';
import { boardScope, taskMutationKey, tasksKey } from './get-tasks';

export interface CreateTaskInput {
  projectId: string;
  title: string;
  status: TaskStatus;
  dueDate: string | null;
  /** Fixed per user action: a retry after a lost response never creates a second task. */
  idempotencyKey: string;
}

export function createTask(api: ApiClient, input: CreateTaskInput): Promise<Task> {
  return call(
    api.POST('/api/v1/projects/{project_id}/tasks', {
      params: { path: { project_id: input.projectId }, header: { 'Idempotency-Key': input.idempotencyKey } },
      body: { title: input.title, status: input.status, ...(input.dueDate ? { due_date: input.dueDate } : {}) },
    }),
  );
}

/** Id of the placeholder shown until the API answers; its controls stay disabled meanwhile. */
export const PENDING_ID_PREFIX = 'pending-';

export function isPending(task: Task): boolean {
  return task.id.startsWith(PENDING_ID_PREFIX);
}

export function useCreateTask(projectId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const report = useReportError();
  const key = tasksKey(projectId);
  return useMutation({
    mutationKey: taskMutationKey(projectId),
    scope: boardScope(projectId),
    mutationFn: (input: Omit<CreateTaskInput, 'projectId' | 'idempotencyKey'> & { idempotencyKey: string }) =>
      createTask(api, { ...input, projectId }),
    retry: (count, error) => error instanceof ApiError && error.isTransient && count < 3,
    onMutate: async (input) => {
      const now = new Date().toISOString();
      const placeholder: Task = {
        id: `${PENDING_ID_PREFIX}${input.idempotencyKey}`,
        project_id: projectId,
        title: input.title,
        status: input.status,
        position: Number.MAX_SAFE_INTEGER,
        due_date: input.dueDate,
        created_at: now,
        updated_at: now,
        version: 0,
      };
      const change = await applyOptimistic<Task[]>(queryClient, key, (tasks) => appendTask(tasks, placeholder));
      return { ...change, placeholderId: placeholder.id };
    },
    onError: (error, input, context) => {
      if (context) queryClient.setQueryData<Task[]>(key, (tasks) => tasks && removeTask(tasks, context.placeholderId));
      report(error, `add "${input.title}"`);
    },
    onSuccess: (task, _input, context) => {
      queryClient.setQueryData<Task[]>(key, (tasks) => tasks && replaceTask(tasks, context.placeholderId, task));
    },
    onSettled: () => refreshWhenIdle(queryClient, taskMutationKey(projectId), key),
  });
}
