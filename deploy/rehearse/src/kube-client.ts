/**
 * The few Kubernetes API calls the rehearsal makes, over HTTPS with the client certificate of the kubeconfig kwokctl
 * writes. Server-side apply is a PATCH with `application/apply-patch+yaml` (JSON is valid YAML) and a field manager,
 * exactly what `kubectl apply --server-side` and Argo CD's `ServerSideApply=true` send.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** A refusal or failure answered by the API server (status ≥ 400). */
export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

interface Resource {
  plural: string;
  namespaced: boolean;
}

export interface Credentials {
  server: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Reads the current context's cluster and user of a kubeconfig (file paths relative to the kubeconfig). */
export function readKubeconfig(path: string): Credentials {
  const config = parse(readFileSync(path, 'utf8')) as {
    'current-context': string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: { server: string; 'certificate-authority': string } }[];
    users: { name: string; user: { 'client-certificate': string; 'client-key': string } }[];
  };
  const context = config.contexts.find((c) => c.name === config['current-context'])?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users.find((u) => u.name === context?.user)?.user;
  if (!cluster || !user) throw new Error(`${path}: no cluster or user for the current context`);
  const file = (name: string) => readFileSync(resolve(dirname(path), name));
  return {
    server: cluster.server,
    ca: file(cluster['certificate-authority']),
    cert: file(user['client-certificate']),
    key: file(user['client-key']),
  };
}

export const FIELD_MANAGER = 'argocd-controller';

export class KubeClient {
  private readonly resources = new Map<string, Resource>();

  constructor(private readonly credentials: Credentials) {}

  async call<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = new URL(path, this.credentials.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return await new Promise<T>((resolvePromise, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.credentials.ca,
          cert: this.credentials.cert,
          key: this.credentials.key,
          headers: {
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 400) {
              let reason = 'Unknown';
              let message = text;
              try {
                const parsed = JSON.parse(text) as { reason?: string; message?: string };
                reason = parsed.reason ?? reason;
                message = parsed.message ?? message;
              } catch {
                // not a Status object: keep the raw text
              }
              reject(new KubeError(status, reason, `${method} ${url.pathname}: ${status} ${reason}: ${message}`));
              return;
            }
            resolvePromise((text === '' ? undefined : JSON.parse(text)) as T);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Forgets the discovery cache (after CRDs are installed). */
  forgetDiscovery(): void {
    this.resources.clear();
  }

  private async resource(apiVersion: string, kind: string): Promise<Resource> {
    const key = `${apiVersion}/${kind}`;
    const cached = this.resources.get(key);
    if (cached) return cached;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let list: { resources: { name: string; kind: string; namespaced: boolean }[] };
    try {
      list = await this.call(`GET`, base);
    } catch (error) {
      if (error instanceof KubeError && error.status === 404)
        throw new KubeError(404, 'NotServed', `${apiVersion} is not served by this API server (kind ${kind})`);
      throw error;
    }
    for (const r of list.resources) {
      if (!r.name.includes('/'))
        this.resources.set(`${apiVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
    }
    const found = this.resources.get(key);
    if (!found) throw new KubeError(404, 'NotServed', `${apiVersion} serves no kind ${kind}`);
    return found;
  }

  /** The URL path of a collection (no name) or of one object. */
  async path(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const { plural, namespaced } = await this.resource(apiVersion, kind);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = namespaced && namespace ? `/namespaces/${namespace}` : '';
    return `${base}${ns}/${plural}${name ? `/${name}` : ''}`;
  }

  async namespaced(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resource(apiVersion, kind)).namespaced;
  }

  /** Server-side apply, as Argo CD's ServerSideApply=true sync does it (it forces conflicts with other managers). */
  async apply(object: KubeObject, options: { dryRun?: boolean; force?: boolean } = {}): Promise<KubeObject> {
    const { apiVersion, kind, metadata } = object;
    const path = await this.path(apiVersion, kind, metadata.namespace, metadata.name);
    const query = new URLSearchParams({ fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' });
    if (options.force ?? true) query.set('force', 'true');
    if (options.dryRun) query.set('dryRun', 'All');
    return await this.call('PATCH', `${path}?${query}`, object, 'application/apply-patch+yaml');
  }

  async get<T = KubeObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    try {
      return await this.call<T>('GET', await this.path(apiVersion, kind, namespace, name));
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list<T = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace?: string,
    labelSelector?: string,
  ): Promise<T[]> {
    const query = labelSelector ? `?${new URLSearchParams({ labelSelector })}` : '';
    const answer = await this.call<{ items: T[] }>('GET', `${await this.path(apiVersion, kind, namespace)}${query}`);
    // List items carry no apiVersion and kind of their own.
    return answer.items.map((item) => ({ ...item, apiVersion, kind }));
  }

  async create(object: KubeObject): Promise<KubeObject> {
    const { apiVersion, kind, metadata } = object;
    return await this.call('POST', await this.path(apiVersion, kind, metadata.namespace), object);
  }

  /** Deletes with foreground propagation (what Argo CD's prune does); a missing object is not an error. */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
    try {
      await this.call('DELETE', await this.path(apiVersion, kind, namespace, name), {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: 'Foreground',
      });
    } catch (error) {
      if (!(error instanceof KubeError && error.status === 404)) throw error;
    }
  }
}
