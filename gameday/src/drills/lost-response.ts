/**
 * lost-response: a user creates a project in the real SPA (Chromium) and the edge loses the API's answer after the
 * API committed — the connection is reset on the way back — while steady load runs through the same edge.
 *
 * Pass: the SPA retries with the same Idempotency-Key, so the API replays its first answer; the UI shows the project
 * once and no error; the database holds exactly one project of that name; every create that reached the edge carried
 * one key; the load lost or doubled nothing and saw no failure (the fault touches only project creates).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@innovate/local/src/supervisor/ports.ts';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../chromium.ts';
import type { Drill, DrillOutcome } from '../drill.ts';
import { checkWrites } from '../ledger.ts';
import { describeFailures, SteadyLoad } from '../load.ts';
import { LossyEdge } from '../stack/lossy-edge.ts';
import { startSystem } from '../stack/system.ts';

const CREATE_PATH = '/api/v1/projects';
/** The whole create, its retry included, must be done well within this. */
const SUCCESS_TIMEOUT_MS = 10_000;
const DROPPED_WHY = 'the edge dropped the response after the API committed';

const isProjectCreate = (req: IncomingMessage) => req.method === 'POST' && req.url === CREATE_PATH;

/** The browser's own view of its project creates: each attempt the page made, and how it ended. */
interface BrowserPosts {
  sent: number;
  failed: number;
  /** Attempts that got no answer (a reset connection): the only failures the drill expects. */
  unanswered: number;
  statuses: string[];
}

function watchCreates(page: Page): BrowserPosts {
  const posts: BrowserPosts = { sent: 0, failed: 0, unanswered: 0, statuses: [] };
  const isCreate = (method: string, url: string) => method === 'POST' && new URL(url).pathname === CREATE_PATH;
  page.on('request', (request) => {
    if (isCreate(request.method(), request.url())) posts.sent++;
  });
  page.on('requestfailed', (request) => {
    if (!isCreate(request.method(), request.url())) return;
    posts.failed++;
    posts.unanswered++;
    posts.statuses.push(request.failure()?.errorText ?? 'failed');
  });
  page.on('response', (response) => {
    if (!isCreate(response.request().method(), response.url())) return;
    posts.statuses.push(String(response.status()));
    if (response.status() >= 400) posts.failed++;
  });
  return posts;
}

export const lostResponse: Drill = {
  name: 'lost-response',
  title: 'The answer to a project create from the SPA is lost after the API committed',
  async run(context): Promise<DrillOutcome> {
    // The lossy edge's port is chosen first: the provider must know its sign-in callback.
    const edgePort = await freePort();
    const system = await startSystem(context, { spaOrigins: [`http://127.0.0.1:${edgePort}`] });
    const edge = new LossyEdge(context.repoRoot, system.api.origin, system.identity.issuer, edgePort);
    let load: SteadyLoad | undefined;
    let browser: Browser | undefined;
    try {
      await edge.start();
      load = new SteadyLoad({ baseUrl: edge.url, projectId: system.projectId, auth: system.identity.session });
      load.start();
      browser = await launchChromium();
      const page = await browser.newPage();
      const posts = watchCreates(page);
      await page.goto(`${edge.url}/`);
      // Signed in as a user would: the provider's page, then back to the SPA.
      await page.getByLabel('Email').fill(system.identity.developer.email);
      await page.getByLabel('Password').fill(system.identity.developer.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Projects' }).waitFor();
      context.log('the SPA is open; the edge drops the answers to project creates until the page has seen one lost');

      const name = `Lost response ${randomUUID().slice(0, 8)}`;
      const link = page.getByRole('link', { name, exact: true });
      // Healed as soon as the page saw a create go unanswered: Chromium's own immediate resends are dropped too, the
      // SPA's retry (React Query waits 1 s) goes through.
      edge.dropAnswers(isProjectCreate, () => posts.unanswered > 0);
      await page.getByLabel('Project name').fill(name);
      const clickedAt = performance.now();
      await page.getByRole('button', { name: 'Create project' }).click();
      const shown = await Promise.race([
        link.waitFor({ timeout: SUCCESS_TIMEOUT_MS }).then(() => 'the project' as const),
        page
          .getByRole('alert')
          .waitFor({ timeout: SUCCESS_TIMEOUT_MS })
          .then(() => 'an error' as const),
      ]).catch(() => 'nothing' as const);
      const clickToSuccessMs = Math.round(performance.now() - clickedAt);
      context.log(`the UI showed ${shown} ${clickToSuccessMs} ms after the click`);
      // Lets the list's refetch after the create land before the UI is read.
      await sleep(500);
      // The banner's message, without its Dismiss button.
      const banner = page.getByRole('alert').locator('p');
      const alert = (await banner.count()) > 0 ? ((await banner.textContent()) ?? '') : '';
      const linksShown = await link.count();
      await page.reload();
      await page.getByRole('heading', { name: 'Projects' }).waitFor();
      await page.getByRole('list', { name: 'Projects' }).waitFor();
      const linksAfterReload = await link.count();
      const rows = await system.pg.withClient(async (client) => {
        const result = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM projects WHERE name = $1', [
          name,
        ]);
        return result.rows[0]?.n ?? 0;
      });

      await load.stop();
      const ledger = await checkWrites(system.pg.url, system.projectId, load.acknowledged.keys());
      const creates = edge.matched;
      const dropped = creates.filter((request) => request.dropped).length;
      const keys = new Set(creates.map((request) => request.idempotencyKey));

      const failures: string[] = [];
      if (dropped === 0) failures.push('the edge dropped no create answer: the fault did not fire');
      if (posts.unanswered === 0)
        failures.push('the page saw every create answered: the browser hid the loss, so the SPA was not tested');
      if (shown !== 'the project')
        failures.push(`the UI showed ${shown} within ${SUCCESS_TIMEOUT_MS} ms of the click, not the project`);
      if (alert) failures.push(`the UI shows an error: ${alert.replace(/\s+/g, ' ').trim()}`);
      if (linksShown !== 1) failures.push(`the list shows the project ${linksShown} times, not once`);
      if (linksAfterReload !== 1)
        failures.push(`after a reload the list shows the project ${linksAfterReload} times, not once`);
      if (rows !== 1) failures.push(`the database holds ${rows} projects named "${name}", not 1`);
      if (keys.size !== 1) failures.push(`the creates carried ${keys.size} different Idempotency-Keys, not 1`);
      if (ledger.lost.length > 0) failures.push(`${ledger.lost.length} acknowledged load writes lost`);
      if (ledger.doubled.length > 0) failures.push(`${ledger.doubled.length} load writes doubled`);
      if (load.failedCount() > 0) failures.push(`the load saw failures: ${describeFailures(load.failures).join('; ')}`);

      return {
        name: 'lost-response',
        summary:
          `A project was created in Chromium through the SPA while the edge reset the connection after the API ` +
          `had committed it; ${load.acknowledged.size} idempotent task writes ran through the same edge meanwhile.`,
        requests: {
          sent: load.sent + posts.sent,
          failed: load.failedCount() + posts.failed,
          // Chromium's own resends never reach the page: only the attempts the page saw unanswered count.
          expectedFailures: { count: posts.unanswered, why: DROPPED_WHY },
        },
        writes: { acknowledged: load.acknowledged.size, lost: ledger.lost.length, doubled: ledger.doubled.length },
        dataLost:
          [
            ledger.lost.length > 0 ? `${ledger.lost.length} acknowledged load writes` : '',
            rows === 0 ? 'the project' : '',
          ]
            .filter(Boolean)
            .join(' and ') || 'none',
        figures: {
          'browser retries': Math.max(posts.sent - 1, 0),
          'browser create attempts and how each ended': posts.statuses.join(', ') || 'none',
          'creates that reached the edge (Chromium resends on its own too)': creates.length,
          'create answers the edge dropped': dropped,
          'Idempotency-Keys among them': keys.size,
          'time from click to success (ms)': shown === 'the project' ? clickToSuccessMs : '—',
          'projects of that name in the database': rows,
          'load writes committed but never acknowledged': ledger.presentButUnacknowledged,
        },
        failures,
      };
    } finally {
      await browser?.close().catch(() => {});
      await load?.stop();
      await edge.stop().catch(() => {});
      await system.stop();
    }
  },
};
