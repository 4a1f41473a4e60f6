import type { Page } from 'playwright-core';
import type { App } from './use-app';

/**
 * A fresh browser profile signed in with `token` through the app's sign-in form, as a person on
 * a server that requires tokens; resolves once the reloaded app has synced.
 */
export async function signedIn(app: App, token: string): Promise<Page> {
  const { page } = await app.openPage('/');
  await page.locator('[data-testid="sign-in-token"]').fill(token);
  await page.locator('[data-testid="sign-in"] button').click();
  await page.locator('[data-testid="sign-in"]').waitFor({ state: 'detached' });
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  return page;
}
