import { createBrowserRouter, Outlet, RouterProvider } from 'react-router';
import { Announcements } from '../components/announcer';
import { ErrorBanner } from '../components/error-banner';
import { BoardRoute } from './routes/board';
import { NotFoundRoute } from './routes/not-found';
import { ProjectsRoute } from './routes/projects';

function Layout() {
  return (
    <>
      <header className="app-header">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <span className="brand">Innovate board</span>
      </header>
      <ErrorBanner />
      <Announcements />
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}

/** Client routes; the edge answers every non-file path with index.html so deep links and reloads work. */
export const routes = [
  {
    element: <Layout />,
    children: [
      { path: '/', element: <ProjectsRoute /> },
      { path: '/projects/:projectId', element: <BoardRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

export function AppRouter() {
  return <RouterProvider router={createBrowserRouter(routes)} />;
}
