import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useAnnounce } from '../../../components/announcer';
import { useReportError } from '../../../components/error-banner';
import { useApiClient } from '../../../lib/api/api-context';
import { type ApiClient, ifMatch, type Task, type TaskStatus } from '../../../lib/api/client';
import { call } from '../../../lib/api/errors';
import { applyOptimistic, refreshWhenIdle } from '../../../lib/optimistic';
import { moveTask as moveLocally, replaceTask, STATUS_LABELS } from '../logic/board';
import { boardScope, currentTask, taskMutationKey, tasksKey } from './get-tasks';

export interface MoveTaskInput {
  task: Task;
  status: TaskStatus;
  position: number;
}

export function moveTask(api: ApiClient, { task, status, position }: MoveTaskInput): Promise<Task> {
  return call(
    api.POST('/api/v1/projects/{project_id}/tasks/{task_id}/move', {
      params: { path: { project_id: task.project_id, task_id: task.id }, header: { 'If-Match': ifMatch(task) } },
      body: { status, position },
    }),
  );
}

/** Moves on the board at once (same arithmetic as the API); the board goes back if the API refuses. */
export function useMoveTask(projectId: string) {
  const api = useApiClient();
  const queryClient = useQueryClient();
  const report = useReportError();
  const announce = useAnnounce();
  const key = tasksKey(projectId);
  return useMutation({
    mutationKey: taskMutationKey(projectId),
    scope: boardScope(projectId),
    mutationFn: (input: MoveTaskInput) => moveTask(api, { ...input, task: currentTask(queryClient, input.task) }),
    onMutate: async ({ task, status, position }) => {
      const change = await applyOptimistic<Task[]>(queryClient, key, (tasks) =>
        moveLocally(tasks, task.id, status, position),
      );
      const moved = queryClient.getQueryData<Task[]>(key)?.find((t) => t.id === task.id);
      if (moved) announce(`${task.title} moved to ${STATUS_LABELS[moved.status]}, position ${moved.position + 1}`);
      return change;
    },
    onError: (error, { task }, context) => {
      context?.rollback();
      report(error, `move "${task.title}"`);
    },
    onSuccess: (task) => queryClient.setQueryData<Task[]>(key, (tasks) => tasks && replaceTask(tasks, task.id, task)),
    onSettled: () => refreshWhenIdle(queryClient, taskMutationKey(projectId), key),
  });
}
