/**
 * Keeps keyboard focus on a task that moved to another column. Its card re-mounts in the new column, so the control
 * the user just operated is gone and focus would fall back to the page; the new card takes it instead.
 */
import { createContext, type ReactNode, type RefObject, useContext, useEffect, useRef } from 'react';

const FocusContext = createContext<RefObject<string | null>>({ current: null });

export function FocusAfterMoveProvider({ children }: { children: ReactNode }) {
  const pending = useRef<string | null>(null);
  return <FocusContext value={pending}>{children}</FocusContext>;
}

/** Call `remember(taskId)` before a move to another column; the card of that task focuses `target` when it mounts. */
export function useFocusAfterMove(taskId: string, target: RefObject<HTMLElement | null>) {
  const pending = useContext(FocusContext);
  useEffect(() => {
    if (pending.current === taskId) {
      pending.current = null;
      target.current?.focus();
    }
  }, [pending, taskId, target]);
  return (id: string) => {
    pending.current = id;
  };
}
