import { Link, useParams } from 'wouter';
import { LoadError, Loading } from '../../components/status';
import { useProject } from '../../features/projects/api/get-project';
import { Board } from '../../features/tasks/components/board';
import { ApiError } from '../../lib/api/errors';

export function BoardRoute() {
  const { projectId = '' } = useParams();
  const project = useProject(projectId);
  return (
    <section aria-labelledby="board-heading">
      <nav>
        <Link href="/">← All projects</Link>
      </nav>
      {project.isPending ? (
        <Loading label="Loading project…" />
      ) : project.isError ? (
        project.error instanceof ApiError && project.error.status === 404 ? (
          <h1 id="board-heading">Project not found</h1>
        ) : (
          <LoadError error={project.error} what="the project" onRetry={() => project.refetch()} />
        )
      ) : (
        <>
          {/* React 19 hoists <title> into <head>: the tab and the history entry name the project. */}
          <title>{`${project.data.name} · Innovate board`}</title>
          <h1 id="board-heading">{project.data.name}</h1>
          {project.data.description && <p className="description">{project.data.description}</p>}
          <Board projectId={projectId} />
        </>
      )}
    </section>
  );
}
