/**
 * Where a render is read from: the working tree (the render under test) or a commit (the render Argo CD would be
 * running before the upgrade). Files are read with `git show <commit>:<path>`, so no worktree is left behind.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './kube-client.ts';

export const RENDERED_ROOT = 'deploy/rendered';

export interface RenderSource {
  /** `working tree` or the commit's short id and subject. */
  label: string;
  /** Repository-relative paths of every file under deploy/rendered/. */
  files(): string[];
  read(path: string): string;
}

function git(repo: string, args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

export function workingTree(repo: string): RenderSource {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? walk(path) : [relative(repo, path)];
    });
  return {
    label: 'working tree',
    files: () => walk(join(repo, RENDERED_ROOT)),
    read: (path) => readFileSync(join(repo, path), 'utf8'),
  };
}

export function atCommit(repo: string, commit: string): RenderSource {
  const subject = git(repo, ['log', '-1', '--format=%h %s', commit]).trim();
  return {
    label: `commit ${subject.length > 90 ? `${subject.slice(0, 87)}...` : subject}`,
    files: () => git(repo, ['ls-tree', '-r', '--name-only', commit, '--', RENDERED_ROOT]).split('\n').filter(Boolean),
    read: (path) => git(repo, ['show', `${commit}:${path}`]),
  };
}

/**
 * The last commit on the first-parent line (main's own history, merges included) whose deploy/rendered/ differs from
 * the working tree's: the render a cluster runs before this change is synced. A shallow clone does not have it, which is an error with the fix in its message.
 */
export function previousRenderCommit(repo: string): string {
  const current = workingTree(repo);
  const same = (commit: string): boolean => {
    const source = atCommit(repo, commit);
    const theirs = source.files().sort();
    const ours = current.files().sort();
    return (
      theirs.length === ours.length &&
      theirs.every((path, i) => path === ours[i] && source.read(path) === current.read(path))
    );
  };
  const commits = git(repo, ['log', '--first-parent', '--format=%H', '--', RENDERED_ROOT]).split('\n').filter(Boolean);
  for (const commit of commits) if (!same(commit)) return commit;
  const shallow = git(repo, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
  throw new Error(
    shallow
      ? `no earlier render of ${RENDERED_ROOT} in this shallow clone: the upgrade rehearsal needs history (git fetch --unshallow; CI: actions/checkout with fetch-depth: 0)`
      : `no commit has a render of ${RENDERED_ROOT} different from the working tree's: nothing to upgrade from`,
  );
}

export function parseObjects(text: string, source: string): KubeObject[] {
  return parseAllDocuments(text).flatMap((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${source}#${index + 1}: ${doc.errors[0]?.message}`);
    const object = doc.toJS() as KubeObject | null;
    return object === null ? [] : [object];
  });
}

/** Every object of the YAML files directly in `folder` (Argo CD's directory source without recursion). */
export function folderObjects(source: RenderSource, folder: string, recurse = false): KubeObject[] {
  const prefix = `${folder.replace(/\/$/, '')}/`;
  return source
    .files()
    .filter(
      (path) =>
        path.startsWith(prefix) && /\.ya?ml$/.test(path) && (recurse || !path.slice(prefix.length).includes('/')),
    )
    .sort()
    .flatMap((path) => parseObjects(source.read(path), path));
}
