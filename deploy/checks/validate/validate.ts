/**
 * Offline validation of rendered objects: each object must have an allowed apiVersion/kind with a model, pass
 * that model's schema (types, required fields, enums, formats), and declare no field the schema does not know.
 * Gatekeeper constraints are checked against the ConstraintTemplate that declares their kind.
 */
import { parseAllDocuments } from 'yaml';
import {
  CONSTRAINT_API_VERSION,
  CONSTRAINT_TEMPLATE_API_VERSION,
  constraintErrors,
  constraintTemplateErrors,
  type IConstraintTemplate,
} from '../../src/models/gatekeeper.ts';
import { GATEKEEPER_TYPES_MODULE, type Registry, type RegistryEntry, registryKey } from './registry.ts';
import { type StrictItem, strictCheck } from './strict.ts';

export interface SourcedObject {
  /** Where the object came from, e.g. `rendered/dev/api/api.yaml#3`. */
  source: string;
  object: unknown;
}

export function parseYamlObjects(text: string, source: string): SourcedObject[] {
  return parseAllDocuments(text).flatMap((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`${source}#${index + 1}: ${doc.errors[0]?.message}`);
    const object = doc.toJS() as unknown;
    return object === null ? [] : [{ source: `${source}#${index + 1}`, object }];
  });
}

function label(item: SourcedObject): string {
  const object = item.object as { kind?: string; metadata?: { name?: string; namespace?: string } };
  const name = [object.metadata?.namespace, object.metadata?.name].filter(Boolean).join('/');
  return `${item.source} ${object.kind ?? '?'} ${name || '?'}`;
}

/** Validates every object; returns one line per problem (empty = all valid). */
export function validateObjects(items: SourcedObject[], registry: Registry): string[] {
  const problems: string[] = [];
  const templates = new Map<string, IConstraintTemplate>();
  for (const item of items) {
    const object = item.object as { apiVersion?: string; kind?: string; spec?: unknown };
    if (object?.apiVersion === CONSTRAINT_TEMPLATE_API_VERSION && object.kind === 'ConstraintTemplate') {
      const template = item.object as IConstraintTemplate;
      const kind = template.spec?.crd?.spec?.names?.kind;
      if (kind) templates.set(kind, template);
    }
  }

  const strictItems: Array<StrictItem & { item: SourcedObject }> = [];
  for (const item of items) {
    const object = item.object as { apiVersion?: unknown; kind?: unknown };
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      problems.push(`${item.source}: not a Kubernetes object`);
      continue;
    }
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      problems.push(`${label(item)}: apiVersion and kind are required`);
      continue;
    }
    if (object.apiVersion === CONSTRAINT_API_VERSION) {
      for (const error of constraintErrors(item.object, templates)) problems.push(`${label(item)}: ${error}`);
      strictItems.push({
        item,
        object: item.object,
        entry: { typeModule: GATEKEEPER_TYPES_MODULE, typeName: 'IConstraint' },
      });
      continue;
    }
    const entry: RegistryEntry | undefined = registry.get(registryKey(object.apiVersion, object.kind));
    if (!entry) {
      problems.push(`${label(item)}: unknown kind ${object.apiVersion}/${object.kind} (no schema; not allowed)`);
      continue;
    }
    if (entry.model) {
      try {
        new entry.model(item.object).validate();
      } catch (error) {
        for (const line of modelErrors(error)) problems.push(`${label(item)}: ${line}`);
      }
    } else {
      for (const error of constraintTemplateErrors(item.object)) problems.push(`${label(item)}: ${error}`);
    }
    strictItems.push({ item, object: item.object, entry });
  }

  const strict = strictCheck(strictItems);
  strict.forEach((messages, index) => {
    const item = strictItems[index]?.item;
    if (item) for (const message of messages) problems.push(`${label(item)}: ${message}`);
  });
  return [...new Set(problems)];
}

function modelErrors(error: unknown): string[] {
  const errors = (error as { errors?: Array<{ instancePath?: string; message?: string; params?: unknown }> }).errors;
  if (!Array.isArray(errors)) return [(error as Error).message];
  return errors.map(
    (e) => `${e.instancePath || '(root)'}: ${e.message ?? 'invalid'} ${JSON.stringify(e.params ?? {})}`,
  );
}
