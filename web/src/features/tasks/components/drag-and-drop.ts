/**
 * Drag-and-drop for pointer users, on top of the buttons and select that already move tasks (those stay the
 * accessible way). Native HTML drag events: no library. Dropping on a card takes that card's place; dropping
 * elsewhere in a column puts the task at its end — the same {status, position} the move endpoint takes.
 */
import type { DragEvent } from 'react';
import type { TaskStatus } from '../../../lib/api/client';

/** Moves a dropped task to `status` at `position` (a drop where it already is does nothing). */
export type DropTask = (taskId: string, status: TaskStatus, position: number) => void;

const TASK_TYPE = 'application/x-innovate-task';

export function draggableTask(taskId: string, enabled: boolean) {
  return {
    draggable: enabled,
    onDragStart: (event: DragEvent) => {
      event.dataTransfer.setData(TASK_TYPE, taskId);
      event.dataTransfer.effectAllowed = 'move';
    },
  };
}

/** Handlers that accept a dragged task and hand its id to `onDrop`. */
export function taskDropTarget(onDrop: (taskId: string) => void) {
  return {
    onDragOver: (event: DragEvent) => {
      if (!event.dataTransfer.types.includes(TASK_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
    },
    onDrop: (event: DragEvent) => {
      const taskId = event.dataTransfer.getData(TASK_TYPE);
      if (!taskId) return;
      event.preventDefault();
      // The innermost target (a card) decides; the column around it must not move the task again.
      event.stopPropagation();
      onDrop(taskId);
    },
  };
}
