/**
 * `make seed`: a demo project with a handful of tasks across the board's columns, created through the API of a
 * running `make up` as its development user — signed in at the local OpenID provider the way the SPA and the game
 * days do, nothing minted. Running it again changes nothing: the project is found by name and only missing tasks are
 * created, each POST with an Idempotency-Key so a retried request never creates twice.
 *
 *   SEED_URL (default http://127.0.0.1:$PORT, PORT default 8080): the edge of the running `make up`
 *   LOCAL_DATA_DIR (default .local/): where that `make up` keeps the development user's password
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signInThroughEdge } from './oidc/sign-in.ts';
import { DEVELOPER_EMAIL, loadOrCreateUsers } from './oidc/users.ts';
import { readSettings, SettingsError } from './supervisor/settings.ts';

export const DEMO_PROJECT = {
  name: 'Demo project',
  description: 'Created by make seed: a board to click around in.',
};

/** One task per line: a few in each column. */
export const DEMO_TASKS: ReadonlyArray<{ title: string; status: 'todo' | 'doing' | 'done' }> = [
  { title: 'Write the launch announcement', status: 'todo' },
  { title: 'Invite the beta testers', status: 'todo' },
  { title: 'Review the pricing page', status: 'todo' },
  { title: 'Fix the sign-up form on small screens', status: 'doing' },
  { title: 'Prepare the demo script', status: 'doing' },
  { title: 'Set up the project board', status: 'done' },
  { title: 'Agree on the launch date', status: 'done' },
];

export interface SeedSettings {
  /** The edge of the running `make up`. */
  url: string;
  /** Its users file (the development user's password). */
  usersFile: string;
}

export function readSeedSettings(env: NodeJS.ProcessEnv, repoRoot: string): SeedSettings {
  const { port, dataDir } = readSettings({ ...env, DATABASE_URL: undefined }, repoRoot);
  const raw = env.SEED_URL?.trim();
  let url = `http://127.0.0.1:${port}`;
  if (raw) {
    const parsed = URL.parse(raw);
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new SettingsError(`SEED_URL must be an http(s) URL like http://127.0.0.1:8080, got "${raw}"`);
    }
    url = parsed.origin;
  }
  return { url, usersFile: join(dataDir, 'oidc', 'users.json') };
}

class SeedError extends Error {}

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A small API client: every call signed in, one line for anything but the expected status. */
function apiClient(base: string, authorization: string) {
  async function call<T>(method: string, path: string, expected: number, body?: unknown, key?: string): Promise<T> {
    const headers: Record<string, string> = { Authorization: authorization };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status !== expected) {
      throw new SeedError(
        `${method} /api/v1${path} answered HTTP ${response.status}: ${(await response.text()).trim()}`,
      );
    }
    return (await response.json()) as T;
  }
  async function all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const query: string = `${separator}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: Page<T> = await call<Page<T>>('GET', `${path}${query}`, 200);
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return items;
  }
  return { call, all };
}

async function seed(settings: SeedSettings): Promise<void> {
  try {
    const response = await fetch(`${settings.url}/config.json`, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
  } catch {
    throw new SeedError(`nothing answers at ${settings.url}: start make up first (or set PORT or SEED_URL)`);
  }
  if (!existsSync(settings.usersFile)) {
    throw new SeedError(`${settings.usersFile} is missing: seed the make up that uses it (set LOCAL_DATA_DIR)`);
  }
  const developer = loadOrCreateUsers(settings.usersFile).find((user) => user.email === DEVELOPER_EMAIL);
  if (!developer) throw new SeedError(`${settings.usersFile} has no ${DEVELOPER_EMAIL}`);
  const api = apiClient(settings.url, await signInThroughEdge(settings.url, developer));

  let project = (await api.all<{ id: string; name: string }>('/projects')).find((p) => p.name === DEMO_PROJECT.name);
  if (project) {
    process.stdout.write(`the demo project exists (${project.id})\n`);
  } else {
    project = await api.call<{ id: string; name: string }>('POST', '/projects', 201, DEMO_PROJECT, 'seed-demo-project');
    process.stdout.write(`created the demo project (${project.id})\n`);
  }
  const existing = new Set((await api.all<{ title: string }>(`/projects/${project.id}/tasks`)).map((t) => t.title));
  const missing = DEMO_TASKS.filter((task) => !existing.has(task.title));
  for (const [index, task] of DEMO_TASKS.entries()) {
    if (!missing.includes(task)) continue;
    await api.call('POST', `/projects/${project.id}/tasks`, 201, task, `seed-${project.id}-task-${index}`);
  }
  process.stdout.write(
    missing.length === 0
      ? `its ${DEMO_TASKS.length} tasks exist: nothing to do\n`
      : `created ${missing.length} of its ${DEMO_TASKS.length} tasks\n`,
  );
  process.stdout.write(`open ${settings.url}/projects/${project.id}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await seed(readSeedSettings(process.env, resolve(import.meta.dirname, '..', '..')));
  } catch (error) {
    const known = error instanceof SeedError || error instanceof SettingsError;
    process.stderr.write(`make seed: ${known ? (error as Error).message : String(error)}\n`);
    process.exit(1);
  }
}
