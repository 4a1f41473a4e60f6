import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`, see .ci/run); Playwright's own downloads are not used. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * --no-sandbox: CI runs as root, where Chromium refuses to start sandboxed. The others keep the
 * browser from reaching the internet (there is none here) or doing work no test needs.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-gpu',
  '--no-first-run',
];

/**
 * What `--enable-unsafe-webgpu` adds: a WebGPU adapter (SwiftShader, on the CPU here) for pages
 * from 127.0.0.1 and their workers. Measured on Chromium 156: it works alongside `--disable-gpu`
 * (which then only turns off GPU compositing), and without the flag `navigator.gpu` is present but
 * gives no adapter.
 */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu'];

export interface LaunchOptions {
  /** Give pages a WebGPU adapter (`WEBGPU_ARGS`); other tests run without one. */
  webgpu?: boolean;
}

/** Launches headless Chromium; one per test file is plenty (contexts are cheap and isolated). */
export async function launchBrowser({ webgpu = false }: LaunchOptions = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: the e2e tests need Debian's chromium (apt-get install -y chromium, as .ci/run does).`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: webgpu ? [...CHROMIUM_ARGS, ...WEBGPU_ARGS] : CHROMIUM_ARGS });
}

/**
 * A fresh, isolated browser profile (its own IndexedDB, service workers and caches): one per
 * simulated device or user. Pass `baseURL: server.url` to use relative URLs in `page.goto`.
 */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ serviceWorkers: 'allow', ...options });
}

/**
 * What Chromium logs when the network is gone on purpose (`context.setOffline(true)`, or a stopped
 * server): "WebSocket connection to 'ws://…' failed: … net::ERR_INTERNET_DISCONNECTED" (or
 * ERR_CONNECTION_REFUSED) at each reconnect attempt, and "Failed to load resource:
 * net::ERR_INTERNET_DISCONNECTED" for requests made offline. Only tests that cut the network
 * should pass this to `collectErrors`.
 *
 * Note: `setOffline(true)` does not close a WebSocket that is already open; only new connections
 * fail. To drop a live connection, stop the server (`AppServer.restart()`, or `close()` and
 * `startAppServer({ PORT })` later).
 */
export const OFFLINE_NOISE: readonly RegExp[] = [
  /^WebSocket connection to '.*' failed/,
  /net::ERR_INTERNET_DISCONNECTED/,
];

export interface PageErrors {
  /** Console errors and uncaught exceptions so far, minus the ignored ones. */
  readonly errors: string[];
  /** Throws listing every error collected so far; call at the end of a test. */
  assertNone(): void;
}

/** Collects a page's console errors and uncaught exceptions; attach before `page.goto`. */
export function collectErrors(page: Page, options: { ignore?: readonly RegExp[] } = {}): PageErrors {
  const ignore = options.ignore ?? [];
  const errors: string[] = [];
  const ignored = (text: string) => ignore.some((pattern) => pattern.test(text));
  page.on('console', (message) => {
    if (message.type() !== 'error' || ignored(message.text())) return;
    const { url, lineNumber } = message.location();
    errors.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`);
  });
  page.on('pageerror', (error) => {
    if (!ignored(error.message)) errors.push(`uncaught: ${error.stack ?? error.message}`);
  });
  return {
    errors,
    assertNone: () => {
      if (errors.length > 0) throw new Error(`the page logged ${errors.length} error(s):\n${errors.join('\n')}`);
    },
  };
}

/**
 * The text a control points to with aria-describedby (why it is disabled, say): what a screen
 * reader says after its name. Empty when it points to nothing.
 */
export async function describedText(control: Locator): Promise<string> {
  return control.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .flatMap((id) => (id ? [document.getElementById(id)?.textContent ?? ''] : []))
      .join(' ')
      .trim(),
  );
}
