/** Loading, empty and failed-load states, each with the ARIA role assistive technology expects. */
import type { ReactNode } from 'react';
import { describeError } from '../lib/api/errors';

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function LoadError({ error, what, onRetry }: { error: unknown; what: string; onRetry: () => void }) {
  return (
    <div className="load-error" role="alert">
      <p>
        Could not load {what}. {describeError(error)}
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
