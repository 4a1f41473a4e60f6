import { expect, test } from 'vitest';
import { useApp } from './harness';

const app = useApp();

test('the built app, served by the sync server, loads in Chromium without errors', async () => {
  const { context, page, errors } = await app.newPage();

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
