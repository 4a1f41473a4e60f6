import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { connectSynced, type TestClient } from '../../../sync-server/test/harness/clients';
import { startAppServer, type AppServer } from './app-server';
import { collectErrors, launchBrowser, newContext, type LaunchOptions, type PageErrors } from './browser';

/** A page in its own browser profile, with its errors collected from before it loaded anything. */
export interface AppPage {
  context: BrowserContext;
  page: Page;
  errors: PageErrors;
}

export interface PageOptions {
  /** Console errors that are expected, such as `OFFLINE_NOISE`; passed to `collectErrors`. */
  ignore?: readonly RegExp[];
  /** For the new profile; `baseURL` is the server's unless this gives another. */
  context?: BrowserContextOptions;
}

export interface App {
  /**
   * This file's server. A test that stops it and starts another assigns the new one here, so that
   * the file's end closes that one.
   */
  server: AppServer;
  readonly browser: Browser;
  /** A fresh browser profile with one blank page: a person on their own device. */
  newPage(options?: PageOptions): Promise<AppPage>;
  /** `newPage`, then `page.goto(path)`. */
  openPage(path: string, options?: PageOptions): Promise<AppPage>;
  /** Opens the workflow `user/default/workflow/{id}`; resolves once its canvas is on the page. */
  openWorkflow(id: string, options?: PageOptions): Promise<AppPage>;
  /** A stock y-websocket client of a room, synced; destroyed after the file's tests unless sooner. */
  connect(room: string): Promise<TestClient>;
}

/**
 * The app server and a browser for one test file: started before its tests, closed after them.
 * `launch` picks the browser (`{ webgpu: true }` gives pages a WebGPU adapter).
 * `env` is for `startAppServer`; a function is read when the server starts, after the `beforeAll`
 * hooks registered before this call (a fake upstream's URL, a data directory). Hooks registered
 * after it run once the server is up, and their `afterAll` before it closes (vitest runs `afterAll`
 * hooks last registered first).
 */
export function useApp(env: Record<string, string> | (() => Record<string, string>) = {}, launch: LaunchOptions = {}): App {
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  const clients = new Set<TestClient>();

  beforeAll(async () => {
    await Promise.all([
      startAppServer(typeof env === 'function' ? env() : env).then((started) => (server = started)),
      launchBrowser(launch).then((launched) => (browser = launched)),
    ]);
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await browser?.close();
    await server?.close();
  });

  const app: App = {
    get server() {
      if (!server) throw new Error('useApp: the server starts in beforeAll; use it inside tests and hooks.');
      return server;
    },
    set server(next) {
      server = next;
    },
    get browser() {
      if (!browser) throw new Error('useApp: the browser starts in beforeAll; use it inside tests and hooks.');
      return browser;
    },
    async newPage({ ignore, context: options } = {}) {
      const context = await newContext(app.browser, { baseURL: app.server.url, ...options });
      const page = await context.newPage();
      return { context, page, errors: collectErrors(page, { ignore }) };
    },
    async openPage(path, options) {
      const opened = await app.newPage(options);
      await opened.page.goto(path);
      return opened;
    },
    async openWorkflow(id, options) {
      const opened = await app.openPage(`/#/workflow/user/default/${id}`, options);
      await opened.page.locator('[data-testid="workflow-canvas"]').waitFor();
      return opened;
    },
    async connect(room) {
      const client = await connectSynced(app.server.url, room);
      clients.add(client);
      return {
        ...client,
        destroy: () => {
          clients.delete(client);
          client.destroy();
        },
      };
    },
  };
  return app;
}
