/**
 * The one place a failed action is told to the user: a dismissible alert at the top of the page, announced by screen
 * readers (role="alert"). Features report errors through `useReportError`.
 */
import { createContext, type ReactNode, useCallback, useContext, useState } from 'react';
import { ApiError, describeError } from '../lib/api/errors';

interface Reported {
  message: string;
  requestId: string | undefined;
}

const ReportContext = createContext<(error: unknown, action: string) => void>(() => {});

export function ErrorReportProvider({ children }: { children: ReactNode }) {
  const [reported, setReported] = useState<Reported | null>(null);
  const report = useCallback((error: unknown, action: string) => {
    setReported({
      message: `Could not ${action}. ${describeError(error)}`,
      requestId: error instanceof ApiError ? error.requestId : undefined,
    });
  }, []);
  return (
    <ReportContext value={report}>
      {reported && (
        <div className="error-banner" role="alert">
          <p>
            {reported.message}
            {reported.requestId && <span className="request-id"> (request {reported.requestId})</span>}
          </p>
          <button type="button" onClick={() => setReported(null)}>
            Dismiss
          </button>
        </div>
      )}
      {children}
    </ReportContext>
  );
}

/** `report(error, 'move the task')` shows "Could not move the task. <what the API said>". */
export function useReportError(): (error: unknown, action: string) => void {
  return useContext(ReportContext);
}
