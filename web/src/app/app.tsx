import { useState } from 'react';
import type { WebConfig } from '../config/env';
import { createApiClient } from '../lib/api/client';
import type { Auth } from '../lib/auth/auth';
import { AuthProvider } from '../lib/auth/auth-context';
import { createQueryClient } from '../lib/query-client';
import { AppProvider } from './provider';
import { AppRouter } from './router';

export function App({ config, auth, initialPath }: { config: WebConfig; auth: Auth; initialPath: string }) {
  const [api] = useState(() =>
    createApiClient({
      baseUrl: config.apiOrigin ?? window.location.origin,
      accessToken: auth.accessToken,
      onUnauthorized: () => void auth.signIn(),
    }),
  );
  const [queryClient] = useState(() => createQueryClient(config.staleTimeMs));
  return (
    <AuthProvider auth={auth}>
      <AppProvider api={api} queryClient={queryClient}>
        <AppRouter initialPath={initialPath} />
      </AppProvider>
    </AuthProvider>
  );
}
