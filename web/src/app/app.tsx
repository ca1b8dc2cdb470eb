import { useState } from 'react';
import type { WebConfig } from '../config/env';
import { createApiClient } from '../lib/api/client';
import { createQueryClient } from '../lib/query-client';
import { AppProvider } from './provider';
import { AppRouter } from './router';

export function App({ config }: { config: WebConfig }) {
  const [api] = useState(() => createApiClient({ baseUrl: config.apiOrigin ?? window.location.origin }));
  const [queryClient] = useState(() => createQueryClient(config.staleTimeMs));
  return (
    <AppProvider api={api} queryClient={queryClient}>
      <AppRouter />
    </AppProvider>
  );
}
