import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Json } from '../../../shared/src/json';
import { CHROMIUM, CHROMIUM_ARGS, WEBGPU_ARGS } from './browser';
import { bundleForPage, servePage } from './page-bundle';
import type { Timed } from './webgpu-page';

/** A page that runs skills' kernels and fallbacks (webgpu-page.ts), and how to close it all. */
export interface WebGpuPage {
  page: Page;
  browser: Browser;
  /** The adapter's vendor / architecture / device / description. */
  adapter(): Promise<string>;
  /**
   * Runs a skill's kernel on inputs, or on those stashed in the page under a name; `keep` brings its
   * outputs back (large ones are slow to carry).
   */
  runKernel(source: string, inputs: Record<string, Json> | string, keep?: boolean): Promise<Timed>;
  runFallback(source: string, inputs: Record<string, Json> | string, keep?: boolean): Promise<Timed>;
  /** Builds matrices a and b of size n in the page, stashed under a name for the runs. */
  stashMatrices(name: string, n: number): Promise<void>;
  close(): Promise<void>;
}

type Run = (source: string, inputs: Record<string, Json> | string, keep: boolean) => Promise<Timed>;
type PageApi = { webgpuPage: { runKernel: Run; runFallback: Run; adapter: () => Promise<string>; stashMatrices: (name: string, n: number) => void } };

/** Bundles webgpu-page.ts, serves it from 127.0.0.1 and opens it in Chromium with WebGPU on. */
export async function openWebGpuPage(): Promise<WebGpuPage> {
  const script = await bundleForPage(path.join(import.meta.dirname, 'webgpu-page.ts'));
  const server = await servePage(script, 'webgpu');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...WEBGPU_ARGS] });
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => 'webgpuPage' in globalThis);
  // The inputs cross as `unknown`: Playwright's types of a recursive Json argument go too deep for tsc.
  const run =
    (fn: 'runKernel' | 'runFallback') =>
    (source: string, inputs: Record<string, Json> | string, keep = true): Promise<Timed> =>
      page.evaluate(({ fn, s, i, k }) => (globalThis as unknown as PageApi).webgpuPage[fn](s, i as Record<string, Json> | string, k), { fn, s: source, i: inputs as unknown, k: keep });
  return {
    page,
    browser,
    adapter: () => page.evaluate(() => (globalThis as unknown as PageApi).webgpuPage.adapter()),
    runKernel: run('runKernel'),
    runFallback: run('runFallback'),
    stashMatrices: (name, n) => page.evaluate(([name, n]) => (globalThis as unknown as PageApi).webgpuPage.stashMatrices(name, n), [name, n] as const),
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
