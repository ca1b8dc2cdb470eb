/**
 * The contract's smoke subset: every operation of the API's OpenAPI document once, with a valid request, expecting the
 * documented success status — against one API process directly (not through the edge), so a drill can smoke the
 * stable and the canary version separately. The operations it covers are compared with the document the API serves,
 * so a new operation fails the smoke until it is covered here.
 */
import { randomUUID } from 'node:crypto';

type Step = { operation: string; method: string; path: string; body?: unknown; ifMatch?: string; expect: number };

export interface SmokeResult {
  /** One line per step that did not answer as documented. */
  failures: string[];
  operations: number;
}

/** "METHOD /path/{param}" for every operation of the served document. */
async function documentedOperations(base: URL): Promise<Map<string, number>> {
  const response = await fetch(new URL('/api/v1/openapi.json', base));
  const document = (await response.json()) as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };
  const operations = new Map<string, number>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const success = Object.keys(operation.responses).find((code) => code.startsWith('2'));
      operations.set(`${method.toUpperCase()} ${path}`, Number(success));
    }
  }
  return operations;
}

/** `auth`: the Authorization header value (the previous release, from before authentication, ignores it). */
export async function smoke(base: URL, auth: string): Promise<SmokeResult> {
  const failures: string[] = [];
  const documented = await documentedOperations(base);
  const covered = new Set<string>();
  let etag = '';

  async function step({ operation, method, path, body, ifMatch, expect }: Step): Promise<Record<string, unknown>> {
    covered.add(operation);
    const documentedStatus = documented.get(operation);
    if (documentedStatus !== undefined && documentedStatus !== expect) {
      failures.push(`${operation}: the document says ${documentedStatus}, the smoke expects ${expect}`);
    }
    const headers: Record<string, string> = { 'Idempotency-Key': randomUUID(), Authorization: auth };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (ifMatch) headers['If-Match'] = ifMatch;
    const response = await fetch(new URL(path, base), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status !== expect) failures.push(`${operation}: HTTP ${response.status} ${text.slice(0, 120)}`);
    etag = response.headers.get('ETag') ?? etag;
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  const project = await step({
    operation: 'POST /api/v1/projects',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: `smoke ${randomUUID()}` },
    expect: 201,
  });
  const projectPath = `/api/v1/projects/${String(project.id)}`;
  await step({ operation: 'GET /api/v1/projects', method: 'GET', path: '/api/v1/projects', expect: 200 });
  await step({ operation: 'GET /api/v1/projects/{project_id}', method: 'GET', path: projectPath, expect: 200 });
  await step({
    operation: 'PATCH /api/v1/projects/{project_id}',
    method: 'PATCH',
    path: projectPath,
    body: { description: 'smoke' },
    ifMatch: etag,
    expect: 200,
  });
  const projectEtag = etag;
  const task = await step({
    operation: 'POST /api/v1/projects/{project_id}/tasks',
    method: 'POST',
    path: `${projectPath}/tasks`,
    body: { title: 'smoke' },
    expect: 201,
  });
  const taskPath = `${projectPath}/tasks/${String(task.id)}`;
  await step({
    operation: 'GET /api/v1/projects/{project_id}/tasks',
    method: 'GET',
    path: `${projectPath}/tasks`,
    expect: 200,
  });
  await step({
    operation: 'GET /api/v1/projects/{project_id}/tasks/{task_id}',
    method: 'GET',
    path: taskPath,
    expect: 200,
  });
  await step({
    operation: 'PATCH /api/v1/projects/{project_id}/tasks/{task_id}',
    method: 'PATCH',
    path: taskPath,
    body: { title: 'smoke, renamed' },
    ifMatch: etag,
    expect: 200,
  });
  await step({
    operation: 'POST /api/v1/projects/{project_id}/tasks/{task_id}/move',
    method: 'POST',
    path: `${taskPath}/move`,
    body: { status: 'done', position: 0 },
    ifMatch: etag,
    expect: 200,
  });
  await step({
    operation: 'DELETE /api/v1/projects/{project_id}/tasks/{task_id}',
    method: 'DELETE',
    path: taskPath,
    ifMatch: etag,
    expect: 204,
  });
  await step({
    operation: 'DELETE /api/v1/projects/{project_id}',
    method: 'DELETE',
    path: projectPath,
    ifMatch: projectEtag,
    expect: 204,
  });

  for (const operation of documented.keys()) {
    if (!covered.has(operation)) failures.push(`${operation}: documented but not covered by the smoke`);
  }
  return { failures, operations: covered.size };
}
