/**
 * Evaluates rendered Gatekeeper constraints over rendered objects the way Gatekeeper's admission webhook would:
 * the constraint's `match` selects objects (kinds, namespaces, excludedNamespaces), then the template's Rego runs
 * with `input.review.object` and `input.parameters`. The Rego comes from the rendered ConstraintTemplates, so what
 * is checked is exactly what Argo CD would apply. One `opa eval` per call.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/chart.ts';
import {
  CONSTRAINT_API_VERSION,
  CONSTRAINT_TEMPLATE_API_VERSION,
  type IConstraint,
  type IConstraintMatch,
  type IConstraintTemplate,
} from '../../src/models/gatekeeper.ts';
import { gatekeeperCapabilities, runOpa } from './opa.ts';

export interface Violation {
  /** Index of the object in the input list. */
  index: number;
  constraintKind: string;
  constraint: string;
  msg: string;
}

export interface PolicyRun {
  violations: Violation[];
  /** Object × constraint pairs that matched and were evaluated. */
  evaluated: number;
}

/**
 * The driver. Ratify (signature verification) cannot run offline, so `external_data` is answered by a stand-in
 * that reports the images the caller lists as signed and every other image as unsigned.
 */
function driver(signedImages: string[]): string {
  return `package harness

signed_images := ${JSON.stringify(signedImages)}

ratify_stand_in(request) := {
	"responses": [[key, {"isSuccess": key in signed_images}] | some key in request.keys],
	"errors": [],
	"system_error": "",
}

results contains {"index": item.index, "constraint": c.name, "kind": c.kind, "msg": v.msg} if {
	some item in input.items
	some c in item.constraints
	violations := data[c.package].violation with input as {"review": item.review, "parameters": c.parameters}
		with external_data as ratify_stand_in
	some v in violations
}
`;
}

export function splitPolicies(objects: KubeObject[]): { templates: IConstraintTemplate[]; constraints: IConstraint[] } {
  return {
    templates: objects.filter(
      (o) => o.apiVersion === CONSTRAINT_TEMPLATE_API_VERSION && o.kind === 'ConstraintTemplate',
    ) as unknown as IConstraintTemplate[],
    constraints: objects.filter((o) => o.apiVersion === CONSTRAINT_API_VERSION) as unknown as IConstraint[],
  };
}

export function matches(match: IConstraintMatch | undefined, object: KubeObject): boolean {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  if (version === undefined) return false;
  const kindOk = (match?.kinds ?? [{ apiGroups: ['*'], kinds: ['*'] }]).some(
    (entry) =>
      (entry.apiGroups.includes('*') || entry.apiGroups.includes(group ?? '')) &&
      (entry.kinds.includes('*') || entry.kinds.includes(object.kind)),
  );
  const namespace = object.metadata?.namespace;
  if (!kindOk) return false;
  if (match?.namespaces && (!namespace || !match.namespaces.includes(namespace))) return false;
  if (match?.excludedNamespaces && namespace && match.excludedNamespaces.includes(namespace)) return false;
  const selector = match?.labelSelector?.matchLabels ?? {};
  return Object.entries(selector).every(([key, value]) => object.metadata?.labels?.[key] === value);
}

export function evaluate(
  objects: KubeObject[],
  templates: IConstraintTemplate[],
  constraints: IConstraint[],
  signedImages: string[] = [],
): PolicyRun {
  const byKind = new Map(templates.map((template) => [template.spec.crd.spec.names.kind, template]));
  const dir = mkdtempSync(join(tmpdir(), 'gatekeeper-'));
  try {
    const libs = new Set<string>();
    const packages = new Map<string, string>();
    for (const template of templates) {
      const source = template.spec.targets[0]?.code[0]?.source;
      if (!source) throw new Error(`ConstraintTemplate ${template.metadata.name}: no Rego source`);
      const name = /^package\s+(\S+)/m.exec(source.rego)?.[1];
      if (!name) throw new Error(`ConstraintTemplate ${template.metadata.name}: no package line`);
      packages.set(template.spec.crd.spec.names.kind, name);
      writeFileSync(join(dir, `${template.metadata.name}.rego`), source.rego);
      for (const lib of source.libs ?? []) libs.add(lib);
    }
    for (const [i, lib] of [...libs].entries()) writeFileSync(join(dir, `lib${i}.rego`), lib);
    writeFileSync(join(dir, 'harness.rego'), driver(signedImages));

    let evaluated = 0;
    const items = objects.map((object, index) => {
      const applicable = constraints.filter((constraint) => {
        if (!byKind.has(constraint.kind)) throw new Error(`constraint ${constraint.metadata.name}: no template`);
        return matches(constraint.spec.match, object);
      });
      evaluated += applicable.length;
      const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
      return {
        index,
        review: {
          object,
          kind: { group, version, kind: object.kind },
          namespace: object.metadata?.namespace ?? '',
          name: object.metadata?.name ?? '',
          operation: 'CREATE',
        },
        constraints: applicable.map((constraint) => ({
          name: constraint.metadata.name,
          kind: constraint.kind,
          package: packages.get(constraint.kind),
          parameters: constraint.spec.parameters ?? {},
        })),
      };
    });
    const inputPath = join(dir, 'input.json');
    writeFileSync(inputPath, JSON.stringify({ items }));
    const output = runOpa([
      'eval',
      '--capabilities',
      gatekeeperCapabilities(),
      '--format',
      'json',
      '--data',
      dir,
      '--input',
      inputPath,
      'data.harness.results',
    ]);
    const parsed = JSON.parse(output) as {
      result?: Array<{
        expressions: Array<{ value: Array<{ index: number; constraint: string; kind: string; msg: string }> }>;
      }>;
    };
    const results = parsed.result?.[0]?.expressions[0]?.value ?? [];
    return {
      evaluated,
      violations: results.map((r) => ({
        index: r.index,
        constraint: r.constraint,
        constraintKind: r.kind,
        msg: r.msg,
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
