/**
 * The one place a failed action is told to the user: a dismissible alert under the page header, announced by screen
 * readers (role="alert"). Features report errors through `useReportError`; the layout renders `<ErrorBanner />`.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { ApiError, describeError } from '../lib/api/errors';

interface Reported {
  message: string;
  requestId: string | undefined;
}

interface ErrorReports {
  report: (error: unknown, action: string) => void;
  current: Reported | null;
  dismiss: () => void;
}

const ReportContext = createContext<ErrorReports>({ report: () => {}, current: null, dismiss: () => {} });

export function ErrorReportProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<Reported | null>(null);
  const report = useCallback((error: unknown, action: string) => {
    setCurrent({
      message: `Could not ${action}. ${describeError(error)}`,
      requestId: error instanceof ApiError ? error.requestId : undefined,
    });
  }, []);
  const dismiss = useCallback(() => setCurrent(null), []);
  const value = useMemo(() => ({ report, current, dismiss }), [report, current, dismiss]);
  return <ReportContext value={value}>{children}</ReportContext>;
}

/** `report(error, 'move the task')` shows "Could not move the task. <what the API said>". */
export function useReportError(): (error: unknown, action: string) => void {
  return useContext(ReportContext).report;
}

export function ErrorBanner() {
  const { current, dismiss } = useContext(ReportContext);
  if (!current) return null;
  return (
    <div className="error-banner" role="alert">
      <p>
        {current.message}
        {current.requestId && <span className="request-id"> (request {current.requestId})</span>}
      </p>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
