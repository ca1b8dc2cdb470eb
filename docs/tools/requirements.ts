/**
 * The requirements and their traceability table: reads docs/requirements.yaml, checks that every proof it names
 * exists (a file, a test name inside that file, a make target), and writes docs/requirements.md from it.
 *
 *   node --import tsx docs/tools/requirements.ts write   rewrite docs/requirements.md
 *   node --import tsx docs/tools/requirements.ts check   fail (one line per problem, exit 1) on a missing proof or a
 *                                                        stale docs/requirements.md
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { makeTargets } from './make-targets.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const SOURCE = 'docs/requirements.yaml';
const OUTPUT = 'docs/requirements.md';

export type Status = 'met' | 'partial' | 'not-built';
export type Proof = { file: string; name?: string } | { make: string };
export interface Requirement {
  id: string;
  text: string;
  where: string[];
  proof: Proof[];
  status: Status;
  note?: string;
}
export interface Group {
  id: string;
  title: string;
  requirements: Requirement[];
}

export class RequirementsError extends Error {
  override name = 'RequirementsError';
}

const STATUSES: readonly Status[] = ['met', 'partial', 'not-built'];

/** Parses and shape-checks the YAML; a malformed entry is an error naming its position and field. */
export function parseRequirements(text: string): Group[] {
  const document = parse(text) as { groups?: unknown };
  if (!document || !Array.isArray(document.groups)) throw new RequirementsError(`${SOURCE}: groups must be a list`);
  const seen = new Set<string>();
  return document.groups.map((raw, g) => {
    const group = raw as Partial<Group>;
    const at = `${SOURCE}: groups[${g}]`;
    if (typeof group.id !== 'string' || typeof group.title !== 'string')
      throw new RequirementsError(`${at}: id and title are required`);
    if (!Array.isArray(group.requirements)) throw new RequirementsError(`${at}.requirements must be a list`);
    return {
      id: group.id,
      title: group.title,
      requirements: group.requirements.map((entry, r) =>
        requirementFrom(entry, `${at}.requirements[${r}]`, group.id as string, seen),
      ),
    };
  });
}

function requirementFrom(raw: unknown, at: string, groupId: string, seen: Set<string>): Requirement {
  const entry = raw as Partial<Requirement>;
  if (typeof entry.id !== 'string' || !new RegExp(`^${groupId}-\\d+$`).test(entry.id)) {
    throw new RequirementsError(`${at}.id must look like ${groupId}-<n>, got ${JSON.stringify(entry.id)}`);
  }
  if (seen.has(entry.id)) throw new RequirementsError(`${at}.id ${entry.id} is used twice`);
  seen.add(entry.id);
  if (typeof entry.text !== 'string' || entry.text.trim() === '')
    throw new RequirementsError(`${at} (${entry.id}).text is required`);
  if (!STATUSES.includes(entry.status as Status)) {
    throw new RequirementsError(`${at} (${entry.id}).status must be one of ${STATUSES.join(', ')}`);
  }
  const where = entry.where ?? [];
  const proof = entry.proof ?? [];
  if (!Array.isArray(where) || !Array.isArray(proof))
    throw new RequirementsError(`${at} (${entry.id}): where and proof must be lists`);
  if (entry.status !== 'met' && typeof entry.note !== 'string') {
    throw new RequirementsError(
      `${at} (${entry.id}).note is required when status is ${entry.status}: say what is missing`,
    );
  }
  return {
    id: entry.id,
    text: entry.text,
    where,
    proof,
    status: entry.status as Status,
    ...(entry.note ? { note: entry.note } : {}),
  };
}

/** Every problem with the proofs and places of the requirements, one line each (empty when all hold). */
export function findProblems(groups: Group[], root: string = REPO_ROOT): string[] {
  const problems: string[] = [];
  const targets = makeTargets(root);
  for (const requirement of groups.flatMap((group) => group.requirements)) {
    const say = (problem: string) => problems.push(`${requirement.id}: ${problem}`);
    if (requirement.status !== 'not-built' && requirement.proof.length === 0)
      say('has no proof; add one or set status: not-built');
    if (requirement.where.length === 0 && requirement.status !== 'not-built')
      say('says nowhere where it is implemented');
    for (const path of requirement.where) if (!existsSync(join(root, path))) say(`where: ${path} does not exist`);
    for (const proof of requirement.proof) {
      if ('make' in proof) {
        if (!targets.has(proof.make)) say(`proof: make ${proof.make} is not a target of the Makefile`);
        continue;
      }
      const file = join(root, proof.file);
      if (!existsSync(file)) {
        say(`proof: ${proof.file} does not exist`);
      } else if (proof.name && !readFileSync(file, 'utf8').includes(proof.name)) {
        say(`proof: ${proof.file} has no test named "${proof.name}"`);
      }
    }
  }
  return problems;
}

const STATUS_LABEL: Record<Status, string> = { met: 'met', partial: 'partial', 'not-built': 'not built yet' };

function proofCell(proof: Proof): string {
  if ('make' in proof) return `\`make ${proof.make}\``;
  return proof.name
    ? `[${proof.file.split('/').pop()}](../${proof.file}) "${proof.name}"`
    : `[${proof.file.split('/').pop()}](../${proof.file})`;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** docs/requirements.md: the list a person reads, then the traceability table. */
export function renderMarkdown(groups: Group[]): string {
  const all = groups.flatMap((group) => group.requirements);
  const count = (status: Status) => all.filter((requirement) => requirement.status === status).length;
  const lines = [
    '# Requirements',
    '',
    '<!-- Generated by `make docs` from docs/requirements.yaml; edit that file, not this one. -->',
    '',
    'What the platform must do, in our own words. Code and docs cite a requirement by its id (for example DB-2).',
    'Each row says where the requirement is implemented and which test or gate proves it; `make test` fails when a',
    'proof names a file, a test or a make target that does not exist.',
    '',
    `${all.length} requirements: ${count('met')} met, ${count('partial')} partial, ${count('not-built')} not built yet.`,
    '',
  ];
  for (const group of groups) {
    lines.push(
      `## ${group.title}`,
      '',
      '| Id | Requirement | Where | Proof | Status |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const requirement of group.requirements) {
      const where = requirement.where.map((path) => `[${path}](../${path})`).join('<br>');
      const proof = requirement.proof.map(proofCell).join('<br>');
      const status = requirement.note
        ? `${STATUS_LABEL[requirement.status]}: ${requirement.note}`
        : STATUS_LABEL[requirement.status];
      lines.push(
        `| <a id="${requirement.id.toLowerCase()}"></a>${requirement.id} | ${cell(requirement.text)} | ${where} | ${cell(proof)} | ${cell(status)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

function main(mode: string | undefined): number {
  if (mode !== 'write' && mode !== 'check') {
    console.error('usage: requirements.ts write|check');
    return 2;
  }
  let groups: Group[];
  try {
    groups = parseRequirements(readFileSync(join(REPO_ROOT, SOURCE), 'utf8'));
  } catch (error) {
    console.error(error instanceof RequirementsError ? error.message : `${SOURCE}: ${(error as Error).message}`);
    return 1;
  }
  const problems = findProblems(groups);
  for (const problem of problems) console.error(`${SOURCE}: ${problem}`);
  const markdown = renderMarkdown(groups);
  const outputPath = join(REPO_ROOT, OUTPUT);
  if (mode === 'write') {
    writeFileSync(outputPath, markdown);
  } else if (!existsSync(outputPath) || readFileSync(outputPath, 'utf8') !== markdown) {
    console.error(`${OUTPUT} is stale: run make docs and commit it`);
    return 1;
  }
  if (problems.length > 0) return 1;
  const total = groups.reduce((sum, group) => sum + group.requirements.length, 0);
  console.log(`requirements: ${total} requirements, every proof exists`);
  return 0;
}

if (process.argv[1] === import.meta.filename) process.exitCode = main(process.argv[2]);
