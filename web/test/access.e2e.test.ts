// Signing in to a server that requires tokens, and opening a share link, in Chromium.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { listWorkflows } from '../../shared/src/documents/volume-index';
import { putNode, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { mintShareToken, mintUserToken } from '../../sync-server/src/access/tokens';
import { connectClient, launchBrowser, newContext, startAppServer, synced, waitFor, type AppServer } from './harness';
import { visibleNodes } from './harness/canvas';

const SECRET = 'e2e-access-secret-0123456789-abcdefghijkl';
let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAppServer({ AUTH_SECRET: SECRET });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('asks for a token, refuses a bad one in words, and works as that person after sign-in', async () => {
  const page = await (await newContext(browser, { baseURL: server.url })).newPage();
  await page.goto('/');
  await page.locator('[data-testid="sign-in"]').waitFor();
  await page.locator('[data-testid="sign-in-token"]').fill(await mintUserToken('not-the-servers-secret-not-the-servers', { sub: 'alice' }));
  await page.locator('[data-testid="sign-in"] button').click();
  await page.locator('.sign-in-error', { hasText: 'not valid' }).waitFor();

  await page.locator('[data-testid="sign-in-token"]').fill(await mintUserToken(SECRET, { sub: 'alice' }));
  await page.locator('[data-testid="sign-in"] button').click();
  await page.waitForLoadState('load');
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  expect(await page.locator('[data-testid="sign-in"]').count()).toBe(0);
  await page.locator('[data-testid="new-workflow-name"]').fill('Alice’s study');
  await page.locator('[data-testid="new-workflow"]').click();
  const index = connectClient(server.url, 'user/alice', { params: { token: await mintUserToken(SECRET, { sub: 'alice' }) } });
  await synced(index);
  await waitFor(() => listWorkflows(index.doc).some((w) => w.name === 'Alice’s study'), 'the workflow in Alice’s own volume');
  index.destroy();
  await page.context().close();
});

it('a read share link opens its one room, with no sign-in', async () => {
  const aliceToken = await mintUserToken(SECRET, { sub: 'alice' });
  const room = connectClient(server.url, 'user/alice/workflow/shown', { params: { token: aliceToken } });
  await synced(room);
  room.doc.transact(() => {
    writeWorkflowMeta(room.doc, { name: 'Shown to Bob', description: '', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z' });
    putNode(room.doc, { id: 'n1', skillId: 'quantum-vqe', label: 'VQE', position: { x: 0, y: 0 }, inputs: {} });
  });
  await new Promise((r) => setTimeout(r, 200));
  const link = await mintShareToken(SECRET, 'user/alice/workflow/shown', 'read');
  const page = await (await newContext(browser, { baseURL: server.url })).newPage();
  await page.goto(`/#/share/${link}`);
  await page.waitForURL(/#\/workflow\/user\/alice\/shown$/);
  await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the shared workflow’s node');
  expect(await page.locator('[data-testid="workflow-name"]').textContent()).toBe('Shown to Bob');
  room.destroy();
  await page.context().close();
});
