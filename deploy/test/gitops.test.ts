/**
 * Argo CD would refuse to sync an object its Application's AppProject does not permit. These tests replay that
 * check offline: every object of every rendered folder must be allowed by the project of the Application that
 * syncs the folder (destination namespace, cluster-scoped kind whitelist, namespaced kind whitelist).
 */
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../src/chart.ts';
import { DEFAULT_PROJECT } from '../src/charts/gitops.ts';
import { deployContext, renderObjects } from '../src/render.ts';
import { config, type Json } from './helpers.ts';

type Kind = { group: string; kind: string };
const groupOf = (object: KubeObject) =>
  object.apiVersion.includes('/') ? (object.apiVersion.split('/')[0] ?? '') : '';
const allowed = (list: Kind[] | undefined, object: KubeObject) =>
  (list ?? []).some(
    (k) => (k.group === '*' || k.group === groupOf(object)) && (k.kind === '*' || k.kind === object.kind),
  );

describe.each(config.environments.map((env) => env.name))(
  '%s: AppProjects permit what their Applications sync',
  (envName) => {
    const env = config.environment(envName);
    const files = renderObjects(deployContext(config, envName));
    const all = [...files.values()].flat() as Json[];
    const projects = new Map(all.filter((o) => o.kind === 'AppProject').map((p) => [p.metadata.name, p.spec]));
    const apps = all.filter((o) => o.kind === 'Application' && !o.spec.source.chart);
    // Directory Applications here never recurse: an Application syncs the files directly in its path.
    const filesOf = (app: Json) => [...files.keys()].filter((file) => dirname(file) === app.spec.source.path);

    it('has exactly one Application for every rendered file and no Application without files', () => {
      const synced = apps.flatMap((app) => {
        expect(filesOf(app).length, app.metadata.name).toBeGreaterThan(0);
        return filesOf(app);
      });
      expect(synced.sort()).toEqual([...files.keys()].sort());
    });

    it('gives the root folder Argo CD objects only (and public repository declarations), so a recursive bootstrap root cannot take over components', () => {
      for (const [file, objects] of files) {
        if (!file.startsWith(`${env.names.renderedManifestsPath}/`)) continue;
        for (const object of objects) {
          expect(['Application', 'AppProject', 'Secret']).toContain(object.kind);
          // A Secret here only declares a public repository to Argo CD: no credentials.
          if (object.kind === 'Secret') {
            expect(object.metadata?.labels?.['argocd.argoproj.io/secret-type']).toBe('repository');
            expect(Object.keys((object as Json).stringData).sort()).toEqual(['enableOCI', 'name', 'type', 'url']);
          }
        }
      }
    });

    it.each(apps.map((app) => [app.metadata.name, app]))('%s', (_name, app: Json) => {
      const project = projects.get(app.spec.project);
      expect(project, `project ${app.spec.project}`).toBeDefined();
      expect(project.sourceRepos).toContain(app.spec.source.repoURL);
      const objects = filesOf(app).flatMap((file) => files.get(file) ?? []);
      const destinations = new Set(project.destinations.map((d: Json) => d.namespace));
      for (const object of objects) {
        const where = `${object.kind} ${object.metadata?.name}`;
        const namespace = object.metadata?.namespace;
        if (namespace === undefined) {
          expect(allowed(project.clusterResourceWhitelist, object), `${where} (cluster-scoped)`).toBe(true);
        } else {
          expect(destinations.has(namespace) || destinations.has('*'), `${where} in ${namespace}`).toBe(true);
          if (project.namespaceResourceWhitelist) {
            expect(allowed(project.namespaceResourceWhitelist, object), `${where} (namespaced kind)`).toBe(true);
          }
        }
      }
    });

    it('lets every Helm add-on deploy to its namespace from its chart repository', () => {
      for (const app of all.filter((o) => o.kind === 'Application' && o.spec.source.chart)) {
        const project = projects.get(app.spec.project);
        expect(project.sourceRepos, app.metadata.name).toContain(app.spec.source.repoURL);
        expect(
          project.destinations.map((d: Json) => d.namespace),
          app.metadata.name,
        ).toContain(app.spec.destination.namespace);
      }
    });
  },
);

describe.each(config.environments.map((env) => env.name))(
  '%s: Argo CD built-in default project is emptied',
  (envName) => {
    const all = [...renderObjects(deployContext(config, envName)).values()].flat() as Json[];
    const projects = all.filter((o) => o.kind === 'AppProject');

    it('renders `default` explicitly, overriding what Argo CD creates: no source, no destination, no resource', () => {
      const defaults = projects.filter((p) => p.metadata.name === DEFAULT_PROJECT);
      expect(defaults).toHaveLength(1);
      const spec = defaults[0].spec;
      expect(spec.sourceRepos).toEqual([]);
      expect(spec.sourceNamespaces).toEqual([]);
      expect(spec.destinations).toEqual([]);
      expect(spec.clusterResourceWhitelist).toEqual([]);
      expect(spec.namespaceResourceBlacklist).toEqual([{ group: '*', kind: '*' }]);
      expect(spec.namespaceResourceWhitelist).toBeUndefined();
    });

    it('gives every Application a rendered project other than `default`', () => {
      const named = new Set(projects.map((p) => p.metadata.name));
      for (const app of all.filter((o) => o.kind === 'Application')) {
        expect(app.spec.project, app.metadata.name).toBeTypeOf('string');
        expect(app.spec.project, app.metadata.name).not.toBe(DEFAULT_PROJECT);
        expect(named.has(app.spec.project), `${app.metadata.name} → ${app.spec.project}`).toBe(true);
      }
    });
  },
);
