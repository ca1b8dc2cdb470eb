import { EmptyState, LoadError, Loading } from '../../../components/status';
import { useProjects } from '../api/get-projects';
import { CreateProjectForm } from './create-project-form';
import { ProjectRow } from './project-row';

export function ProjectsList() {
  const projects = useProjects();
  return (
    <section aria-labelledby="projects-heading">
      <h1 id="projects-heading">Projects</h1>
      <CreateProjectForm />
      {projects.isPending ? (
        <Loading label="Loading projects…" />
      ) : projects.isError ? (
        <LoadError error={projects.error} what="the projects" onRetry={() => projects.refetch()} />
      ) : projects.data.length === 0 ? (
        <EmptyState>No projects yet. Create the first one above.</EmptyState>
      ) : (
        <ul className="projects" aria-label="Projects">
          {projects.data.map((project) => (
            <ProjectRow key={project.id} project={project} />
          ))}
        </ul>
      )}
    </section>
  );
}
