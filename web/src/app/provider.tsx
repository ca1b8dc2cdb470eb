import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { AnnouncerProvider } from '../components/announcer';
import { ErrorReportProvider } from '../components/error-banner';
import { ApiClientProvider } from '../lib/api/api-context';
import type { ApiClient } from '../lib/api/client';

/** Everything a page needs above it; tests wrap components in the same provider with their own client. */
export function AppProvider({
  api,
  queryClient,
  children,
}: {
  api: ApiClient;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  return (
    <ApiClientProvider client={api}>
      <QueryClientProvider client={queryClient}>
        <ErrorReportProvider>
          <AnnouncerProvider>{children}</AnnouncerProvider>
        </ErrorReportProvider>
      </QueryClientProvider>
    </ApiClientProvider>
  );
}
