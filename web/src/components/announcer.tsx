/**
 * A polite live region for changes a screen reader would not otherwise notice, such as a task moving to another
 * column (its card re-mounts there). Failures go to the error banner (role="alert") instead.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

const AnnounceContext = createContext<{ announce: (message: string) => void; message: string }>({
  announce: () => {},
  message: '',
});

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const announce = useCallback((next: string) => setMessage(next), []);
  const value = useMemo(() => ({ announce, message }), [announce, message]);
  return <AnnounceContext value={value}>{children}</AnnounceContext>;
}

export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext).announce;
}

export function Announcements() {
  const { message } = useContext(AnnounceContext);
  return (
    <p className="visually-hidden" role="status" aria-live="polite">
      {message}
    </p>
  );
}
