import { Link } from 'react-router';

export function NotFoundRoute() {
  return (
    <section>
      <h1>Page not found</h1>
      <Link to="/">Go to the projects</Link>
    </section>
  );
}
