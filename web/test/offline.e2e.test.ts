// The installed-app promise: after a first visit the service worker has the app shell, and with
// no network at all a reload still shows the app, the person's workflows and their content.
import { beforeAll, expect, it } from 'vitest';
import { putWorkflowListing } from '../../shared/src/documents/volume-index';
import { putNode, readWorkflowGraph, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { OFFLINE_NOISE, useApp, waitFor } from './harness';
import { dropSkill, visibleNodes } from './harness/canvas';

const app = useApp();

beforeAll(async () => {
  // The person's workflow, as any client would write it.
  const room = await app.connect('user/default/workflow/offline-wf');
  room.doc.transact(() => {
    writeWorkflowMeta(room.doc, { name: 'Works offline', description: '', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z' });
    putNode(room.doc, { id: 'n1', skillId: 'quantum-vqe', label: 'VQE', position: { x: 0, y: 0 }, inputs: {} });
  });
  const index = await app.connect('user/default');
  putWorkflowListing(index.doc, 'offline-wf', { name: 'Works offline', description: '', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z' });
  await waitFor(async () => (await app.server.storage.load('user/default')).updates.length > 0, 'the listing to be stored');
  room.destroy();
  index.destroy();
});

it('registers a service worker; offline, a reload shows the app, the workflows and their nodes', async () => {
  const { context, page, errors } = await app.openPage('/', { ignore: OFFLINE_NOISE });
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(`${app.server.url}/`);
  // Visiting the workflow once stores it in IndexedDB, as using the app does.
  await page.goto('/#/workflow/user/default/offline-wf');
  await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the workflow online');
  await page.locator('[data-testid="workflow-item"]').filter({ hasText: 'Works offline' }).waitFor();

  await context.setOffline(true);
  await page.reload();
  await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
  await page.locator('[data-testid="workflow-item"]').filter({ hasText: 'Works offline' }).waitFor();
  await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the workflow’s node, offline');
  expect(await page.title()).toBe('LLMunix');
  errors.assertNone();
  await context.close();
});

it('an edit made offline reaches the server after a reload, without reopening its workflow', async () => {
  const { context, page } = await app.openPage('/#/workflow/user/default/offline-wf', { ignore: OFFLINE_NOISE });
  await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the workflow online');
  await page.evaluate(async () => navigator.serviceWorker.ready);

  await context.setOffline(true);
  await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
  await dropSkill(page, 'export-results', { x: 300, y: 300 });
  await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the offline edit on the page');
  const waiting = await page.locator('[data-testid="pending-count"]').textContent();
  expect(waiting).toMatch(/\d+ changes? waiting/);
  // Leave the workflow and restart the app, still offline: nothing has the workflow open now.
  await page.goto('/#/');
  await page.reload();
  await page.locator('[data-testid="home"]').waitFor();
  // What waits is still counted after the reload, not just "offline".
  await page.locator('[data-testid="pending-count"]').waitFor();
  expect(await page.locator('[data-testid="pending-count"]').textContent()).toBe(waiting);
  await context.setOffline(false);

  const check = await app.connect('user/default/workflow/offline-wf');
  await waitFor(() => readWorkflowGraph(check.doc).nodes.some((n) => n.skillId === 'export-results'), 'the offline edit to reach the server');
  check.destroy();
  await context.close();
});
