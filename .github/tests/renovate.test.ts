/**
 * The Renovate configuration (.github/renovate.json) still finds every pin that is not in a file Renovate reads on
 * its own: each version variable of mk/*.mk and each add-on chart. Its custom managers are run here the way Renovate
 * runs them (each match string over each file its patterns name; `{{{group}}}` templates), so a renamed variable, a
 * new Go tool or a reshaped chart entry fails this test instead of silently never being updated.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Json, REPO_ROOT, readRepoFile } from './helpers.ts';

interface CustomManager {
  customType: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  depNameTemplate?: string;
  datasourceTemplate?: string;
  registryUrlTemplate?: string;
}

interface FoundDep {
  file: string;
  depName: string;
  currentValue: string;
  datasource: string;
  registryUrl?: string;
}

const config: Json = JSON.parse(readRepoFile('.github', 'renovate.json'));
const managers: CustomManager[] = config.customManagers;

/** Renovate's `/regex/` file pattern form (the only one used here: a glob would be ambiguous to mimic). */
function filePattern(pattern: string): RegExp {
  const match = /^\/(.*)\/$/.exec(pattern);
  if (!match?.[1]) throw new Error(`managerFilePatterns entry ${pattern} is not a /regex/`);
  return new RegExp(match[1]);
}

const render = (template: string | undefined, groups: Record<string, string>) =>
  template?.replace(/\{\{\{(\w+)\}\}\}/g, (_, name: string) => groups[name] ?? '');

/** What Renovate's regex managers extract from `file` (path relative to the repository root). */
function depsIn(file: string): FoundDep[] {
  const text = readRepoFile(file);
  const found: FoundDep[] = [];
  for (const manager of managers) {
    if (!manager.managerFilePatterns.some((pattern) => filePattern(pattern).test(file))) continue;
    for (const source of manager.matchStrings) {
      for (const match of text.matchAll(new RegExp(source, 'g'))) {
        const groups = { ...match.groups } as Record<string, string>;
        const depName = groups.depName ?? render(manager.depNameTemplate, groups);
        const datasource = groups.datasource ?? render(manager.datasourceTemplate, groups);
        const registryUrl = groups.registryUrl ?? render(manager.registryUrlTemplate, groups);
        if (!depName || !datasource || !groups.currentValue) {
          throw new Error(`${file}: a match of ${source} gives no depName, datasource or currentValue`);
        }
        found.push({ file, depName, currentValue: groups.currentValue, datasource, registryUrl });
      }
    }
  }
  return found;
}

const makeFiles = readdirSync(`${REPO_ROOT}/mk`)
  .filter((name) => name.endsWith('.mk'))
  .map((name) => `mk/${name}`);

describe('Renovate configuration', () => {
  it('uses only regex custom managers with /regex/ file patterns and match strings that compile', () => {
    for (const manager of managers) {
      expect(manager.customType).toBe('regex');
      for (const pattern of manager.managerFilePatterns) expect(() => filePattern(pattern)).not.toThrow();
      for (const source of manager.matchStrings) expect(() => new RegExp(source)).not.toThrow();
    }
  });

  it('pins GitHub Actions by digest', () => {
    expect(config.extends).toContain('helpers:pinGitHubActionDigests');
  });

  describe('every version variable in mk/*.mk is covered by a manager', () => {
    const variables = makeFiles.flatMap((file) =>
      [...readRepoFile(file).matchAll(/^(\w+_VERSION) := (\S+)$/gm)].map(([, name, value]) => ({
        file,
        name: name as string,
        value: value as string,
      })),
    );

    it('finds the pins it checks', () => {
      expect(variables.map((v) => v.name)).toEqual(expect.arrayContaining(['OPA_VERSION', 'HELM_VERSION']));
    });

    it.each(variables)('$name ($file)', ({ file, name, value }) => {
      const text = readRepoFile(file);
      const deps = depsIn(file).filter((dep) => dep.currentValue === value);
      expect(deps, `no custom manager in .github/renovate.json extracts ${name} := ${value} from ${file}`).toHaveLength(
        1,
      );
      const dep = deps[0] as FoundDep;
      // A tool built by `go install <package>@$(NAME)` is looked up on the Go module proxy as the module holding
      // that package.
      const installs = [...text.matchAll(new RegExp(`go install [^\\n]*?(\\S+)@\\$\\(${name}\\)`, 'g'))];
      for (const [, goPackage] of installs) {
        expect(dep.datasource).toBe('go');
        expect(`${goPackage}/`.startsWith(`${dep.depName}/`), `${goPackage} is not in module ${dep.depName}`).toBe(
          true,
        );
      }
    });

    it('KUBE_VERSION names the release the rehearsal wrapper module requires', () => {
      const kube = depsIn('mk/rehearse.mk').find((dep) => dep.depName === 'k8s.io/kubernetes');
      expect(kube?.datasource).toBe('go');
      expect(readRepoFile('deploy', 'rehearse', 'k8s', 'go.mod')).toContain(
        `require k8s.io/kubernetes ${kube?.currentValue}`,
      );
    });
  });

  it('finds every add-on chart where its version is pinned, with the repository it is pulled from', () => {
    const lock: { charts: { repoURL: string; chart: string; version: string }[] } = JSON.parse(
      readRepoFile('deploy', 'charts.lock.json'),
    );
    const inSource = depsIn('deploy/src/charts/addons.ts');
    const inLock = depsIn('deploy/charts.lock.json');
    expect(lock.charts.length).toBeGreaterThan(0);
    const expected = (repoURL: string, chart: string, version: string) =>
      repoURL.startsWith('https://')
        ? { depName: chart, currentValue: version, datasource: 'helm', registryUrl: repoURL }
        : { depName: `${repoURL}/${chart}`, currentValue: version, datasource: 'docker' };
    for (const { repoURL, chart, version } of lock.charts) {
      expect(inLock, `${chart} ${version} in charts.lock.json`).toContainEqual(
        expect.objectContaining(expected(repoURL, chart, version)),
      );
      // In the source the CRD chart takes its version from KARPENTER_VERSION, which is updated as the controller's.
      const updatedAs = chart === 'karpenter-crd' ? 'karpenter' : chart;
      expect(inSource, `${chart} ${version} in addons.ts`).toContainEqual(
        expect.objectContaining(expected(repoURL, updatedAs, version)),
      );
    }
    expect(readRepoFile('deploy', 'src', 'charts', 'addons.ts')).toMatch(
      /chart: 'karpenter-crd',\s*version: KARPENTER_VERSION,/,
    );
    // Nothing else is extracted from the chart file: a loose pattern would propose updates to unrelated strings.
    const charts = new Set(
      lock.charts.map(({ repoURL, chart }) => (repoURL.startsWith('https://') ? chart : `${repoURL}/${chart}`)),
    );
    for (const dep of [...inSource, ...inLock]) expect(charts).toContain(dep.depName);
  });
});
