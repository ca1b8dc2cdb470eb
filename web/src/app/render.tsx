/** Mounts the app: loaded by main.tsx only once the user is signed in (React and the routes are not in the entry). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { WebConfig } from '../config/env';
import type { Session } from '../lib/auth/auth';
import { App } from './app';

export function renderApp(root: HTMLElement, config: WebConfig, session: Session): void {
  createRoot(root).render(
    <StrictMode>
      <App config={config} auth={session.auth} initialPath={session.returnTo} />
    </StrictMode>,
  );
}
