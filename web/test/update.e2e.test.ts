// A new deployment: the installed app notices the new service worker and offers to reload
// into it, instead of switching versions under the person's feet.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useApp, WEB_DIST } from './harness';

let dist: string;

beforeAll(async () => {
  // A copy of the build this test can "redeploy" without touching the one other tests serve.
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-deploy-'));
  await fs.cp(WEB_DIST, dist, { recursive: true });
});
afterAll(async () => {
  await fs.rm(dist, { recursive: true, force: true });
});

const app = useApp(() => ({ WEB_DIST: dist }));

it('offers to reload when a new version is deployed, and reloads into it', async () => {
  const { context, page } = await app.openPage('/');
  await page.evaluate(async () => navigator.serviceWorker.ready);
  // The installed app starts under its service worker, as this reload does.
  await page.reload();
  await page.locator('[data-testid="sync-status"]').waitFor();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
  expect(await page.locator('[data-testid="update-prompt"]').count()).toBe(0);

  // Deploy: a service worker that differs by one byte is a new version to the browser.
  await fs.appendFile(path.join(dist, 'sw.js'), '\n// deployed again\n');
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await page.locator('[data-testid="update-prompt"]').waitFor();

  const navigated = page.waitForEvent('framenavigated');
  await page.locator('[data-testid="update-prompt"] button', { hasText: 'Reload' }).click();
  await navigated;
  await page.locator('[data-testid="sync-status"]').waitFor();
  const activeScript = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL);
  expect(activeScript).toBe(`${app.server.url}/sw.js`);
  expect(await page.locator('[data-testid="update-prompt"]').count()).toBe(0);
  await context.close();
});
