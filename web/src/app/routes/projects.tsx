import { ProjectsList } from '../../features/projects/components/projects-list';

export function ProjectsRoute() {
  return (
    <>
      <title>Projects · Innovate board</title>
      <ProjectsList />
    </>
  );
}
