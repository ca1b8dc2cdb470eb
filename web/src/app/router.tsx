import { lazy, Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { Announcements } from '../components/announcer';
import { ErrorBanner } from '../components/error-banner';
import { useAuth } from '../lib/auth/auth-context';
import { NotFoundRoute } from './routes/not-found';

// Each page is its own chunk, loaded when first visited: the first signed-in screen is the shell and the projects
// page only (make web-size holds it under its budget). The router is wouter (about 2 KB gzip, where React Router's
// data router was 30 KB): the app needs paths with one parameter, links and a fallback, nothing more.
const ProjectsRoute = lazy(() => import('./routes/projects').then((m) => ({ default: m.ProjectsRoute })));
const BoardRoute = lazy(() => import('./routes/board').then((m) => ({ default: m.BoardRoute })));

function SignOut() {
  const auth = useAuth();
  if (!auth) return null;
  return (
    <span className="session">
      <span className="session-user">{auth.userName()}</span>
      <button type="button" className="sign-out" onClick={() => void auth.signOut()}>
        Sign out
      </button>
    </span>
  );
}

/** Client routes; the edge answers every non-file path with index.html so deep links and reloads work. */
function Routes() {
  return (
    <Switch>
      <Route path="/" component={ProjectsRoute} />
      <Route path="/projects/:projectId" component={BoardRoute} />
      <Route component={NotFoundRoute} />
    </Switch>
  );
}

/** `initialPath`: where a completed sign-in returns to (the callback URL is replaced by it, not kept in history). */
export function AppRouter({ initialPath }: { initialPath: string }) {
  if (window.location.pathname !== initialPath) window.history.replaceState(null, '', initialPath);
  return (
    <>
      <header className="app-header">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <span className="brand">Innovate board</span>
        <SignOut />
      </header>
      <ErrorBanner />
      <Announcements />
      <main id="main">
        <Suspense fallback={<p role="status">Loading…</p>}>
          <Routes />
        </Suspense>
      </main>
    </>
  );
}
