import { describe, expect, it } from 'vitest';
import { aTask } from '../../../testing/data';
import { appendTask, moveTask, neighbourStatus, removeTask, toColumns } from './board';

const board = [
  aTask({ id: 'a', status: 'todo', position: 0 }),
  aTask({ id: 'b', status: 'todo', position: 1 }),
  aTask({ id: 'c', status: 'todo', position: 2 }),
  aTask({ id: 'd', status: 'doing', position: 0 }),
];

/** Each column as "id@position" in order: what the user sees. */
function layout(tasks: ReturnType<typeof moveTask>) {
  const columns = toColumns(tasks);
  return Object.fromEntries(
    Object.entries(columns).map(([status, list]) => [status, list.map((t) => `${t.id}@${t.position}`)]),
  );
}

describe('moveTask', () => {
  it('moves to another column at a position and closes the gap behind it', () => {
    expect(layout(moveTask(board, 'b', 'doing', 0))).toEqual({
      todo: ['a@0', 'c@1'],
      doing: ['b@0', 'd@1'],
      done: [],
    });
  });

  it('moves within a column, down and up', () => {
    expect(layout(moveTask(board, 'a', 'todo', 2)).todo).toEqual(['b@0', 'c@1', 'a@2']);
    expect(layout(moveTask(board, 'c', 'todo', 0)).todo).toEqual(['c@0', 'a@1', 'b@2']);
  });

  it('clamps a position past the end to the end of the target column, and a negative one to the start', () => {
    expect(layout(moveTask(board, 'a', 'doing', 99)).doing).toEqual(['d@0', 'a@1']);
    expect(layout(moveTask(board, 'a', 'done', 5)).done).toEqual(['a@0']);
    expect(layout(moveTask(board, 'c', 'todo', -3)).todo).toEqual(['c@0', 'a@1', 'b@2']);
  });

  it('keeps every column numbered 0..n-1 for every possible move', () => {
    for (const task of board) {
      for (const status of ['todo', 'doing', 'done'] as const) {
        for (let position = 0; position <= 4; position++) {
          const columns = toColumns(moveTask(board, task.id, status, position));
          for (const list of Object.values(columns)) expect(list.map((t) => t.position)).toEqual(list.map((_, i) => i));
          expect(Object.values(columns).flat()).toHaveLength(board.length);
        }
      }
    }
  });

  it('does not touch the tasks it did not move or shift (same objects)', () => {
    const moved = moveTask(board, 'c', 'done', 0);
    expect(moved.find((t) => t.id === 'a')).toBe(board[0]);
    expect(moved.find((t) => t.id === 'd')).toBe(board[3]);
  });

  it('leaves the board unchanged for an unknown task', () => {
    expect(layout(moveTask(board, 'zzz', 'done', 0))).toEqual(layout(board));
  });
});

describe('removeTask and appendTask', () => {
  it('closes the gap when a task is removed', () => {
    expect(layout(removeTask(board, 'a')).todo).toEqual(['b@0', 'c@1']);
  });

  it('appends a new task at the end of its column whatever position it came with', () => {
    const added = appendTask(board, aTask({ id: 'e', status: 'todo', position: 0 }));
    expect(layout(added).todo).toEqual(['a@0', 'b@1', 'c@2', 'e@3']);
  });
});

describe('neighbourStatus', () => {
  it('steps left and right and stops at the edges', () => {
    expect(neighbourStatus('todo', 1)).toBe('doing');
    expect(neighbourStatus('doing', -1)).toBe('todo');
    expect(neighbourStatus('todo', -1)).toBeUndefined();
    expect(neighbourStatus('done', 1)).toBeUndefined();
  });
});
