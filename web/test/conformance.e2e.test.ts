// EXEC-1 … EXEC-10 in Chromium: every case
// of the conformance table (shared/test/conformance/cases.ts) against the built app's own worker
// scripts (Python, JavaScript, Three.js, ngspice, WebGPU), hosted by the app's WorkerHost through the
// shared executor, on the app's page and under its security policy.
// sync-server/test/headless/conformance.test.ts runs the same table in Node.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES, caseName, expectCase } from '../../shared/test/conformance/cases';
import type { WorkerUrls } from './conformance/browser-runner';
import { bundleForPage, useApp, WEB_DIST } from './harness';

// With a WebGPU adapter (SwiftShader): webgpu cases run their kernels here and their fallbacks in Node.
const app = useApp({}, { webgpu: true });
let page: Page;

/** The built worker script of each runtime (Vite names them `<name>.worker-<hash>.js`). */
function workerUrls(): WorkerUrls {
  const assets = fs.readdirSync(path.join(WEB_DIST, 'assets'));
  const find = (name: string) => {
    const file = assets.find((f) => f.startsWith(`${name}.worker-`) && f.endsWith('.js'));
    if (!file) throw new Error(`no built ${name} worker in ${WEB_DIST}/assets`);
    return `/assets/${file}`;
  };
  return { python: find('python'), javascript: find('javascript'), ngspice: find('ngspice'), threejs: find('threejs'), webgpu: find('webgpu') };
}

beforeAll(async () => {
  const bundle = await bundleForPage(path.join(import.meta.dirname, 'conformance/browser-runner.ts'));
  // The service worker would answer the runner's request itself: it is blocked, so the route does.
  ({ page } = await app.newPage({ context: { serviceWorkers: 'block' } }));
  await page.route('**/conformance-runner.js', (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }));
  await page.goto('/');
  await page.addScriptTag({ url: '/conformance-runner.js' });
});

describe('runtime contract conformance: browser workers', () => {
  const urls = workerUrls();
  for (const c of CASES) {
    it(caseName(c), { timeout: 120_000 }, async () => {
      // As text: the page gets exactly the data a Node runner gets.
      const input = JSON.stringify({ id: c.id, skill: c.skill, inputs: c.inputs, timeoutMs: c.timeoutMs });
      const state = await page.evaluate(({ one, where }: { one: string; where: WorkerUrls }) => window.runConformanceCase(JSON.parse(one) as Parameters<Window['runConformanceCase']>[0], where), {
        one: input,
        where: urls,
      });
      expectCase(c, state);
      // Here the kernels themselves ran (their fallbacks run in Node).
      if (c.type === 'webgpu' && 'outputs' in c.expected) expect(state.device).toEqual({ kind: 'gpu', adapter: 'swiftshader' });
    });
  }
});
