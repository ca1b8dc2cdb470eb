/** Renders UI inside the app's providers, with an API client over a fake fetch the test controls. */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { AppProvider } from '../app/provider';
import { Announcements } from '../components/announcer';
import { ErrorBanner } from '../components/error-banner';
import { createApiClient } from '../lib/api/client';
import { createQueryClient } from '../lib/query-client';

export type FakeFetch = (request: Request) => Promise<Response>;

export function renderWithApi(ui: ReactNode, fetch: FakeFetch) {
  const api = createApiClient({ baseUrl: 'http://app.test', fetch });
  const queryClient = createQueryClient(60_000);
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  return render(
    <AppProvider api={api} queryClient={queryClient}>
      <Router hook={memoryLocation({ path: '/' }).hook}>
        <ErrorBanner />
        <Announcements />
        {ui}
      </Router>
    </AppProvider>,
  );
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': 'req-test-1' },
  });
}

/** A promise the test resolves when it wants the "server" to answer. */
export function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
