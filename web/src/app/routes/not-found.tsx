import { Link } from 'wouter';

export function NotFoundRoute() {
  return (
    <section>
      <h1>Page not found</h1>
      <Link href="/">Go to the projects</Link>
    </section>
  );
}
