import { ProjectsList } from '../../features/projects/components/projects-list';

export function ProjectsRoute() {
  return <ProjectsList />;
}
