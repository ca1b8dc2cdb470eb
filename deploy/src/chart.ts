/**
 * cdk8s plumbing shared by every chart: a chart knows the file (relative to `deploy/rendered/<env>/`) its objects
 * are rendered to, and objects are authored as the typed interfaces of `kubernetes-models`, so a misspelt field
 * fails `tsc` before it ever reaches the render.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/** The smallest shape of a Kubernetes object: typed interfaces of kubernetes-models all extend it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
}

export class RenderedChart extends Chart {
  /** Path of the rendered file, relative to the environment's folder, e.g. `api/api.yaml`. */
  readonly file: string;

  constructor(scope: Construct, id: string, file: string) {
    super(scope, id, { disableResourceNameHashes: true });
    this.file = file;
  }

  /** Adds one object; its construct id is derived from kind/namespace/name so it is unique and stable. */
  add<T extends KubeObject>(object: T): T {
    const meta = object.metadata ?? {};
    const id = [object.kind, meta.namespace ?? '-', meta.name ?? '-'].join('/');
    new ApiObject(this, id, object as never);
    return object;
  }
}
