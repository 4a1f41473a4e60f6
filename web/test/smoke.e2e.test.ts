import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { collectErrors, launchBrowser, newContext, startAppServer, type AppServer } from './harness';

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('the built app, served by the sync server, loads in Chromium without errors', async () => {
  const context = await newContext(browser, { baseURL: server.url });
  const page = await context.newPage();
  const errors = collectErrors(page);

  const response = await page.goto('/', { waitUntil: 'networkidle' });
  expect(response?.status()).toBe(200);
  expect(await page.title()).toBe('LLMunix');
  // The app rendered: its name is on screen, not only in the tab's title.
  await expect.poll(() => page.getByText('LLMunix', { exact: true }).first().isVisible()).toBe(true);
  // Service workers (for offline use) need a secure context; http://127.0.0.1 is one.
  expect(await page.evaluate(() => window.isSecureContext && 'serviceWorker' in navigator)).toBe(true);

  errors.assertNone();
  await context.close();
});
