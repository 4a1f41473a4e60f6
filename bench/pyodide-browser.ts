/**
 * Python in the browser (the built app served by the real server, headless Chromium):
 * - Pyodide cold start: a fresh Python worker until its first (trivial) skill has run, with the
 *   files from the server (a fresh profile) and from the service worker's cache;
 * - a warm call: the round trip of a trivial skill to the loaded worker;
 * - the Hamiltonian → VQE → Plot Convergence workflow run from the canvas: uncached (first run,
 *   Pyodide cold), uncached with Pyodide warm (a new bond length each time), and from the cache.
 *
 *   npm run bench:pyodide [-- --runs 5]
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { putEdge, putNode, writeWorkflowMeta } from '../shared/src/documents/workflow';
import { startTestServer } from '../sync-server/test/harness/in-process';
import { connectSynced } from '../sync-server/test/harness/clients';
import { percentile } from './lib/proc';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(args.runs);
const ROOT = path.resolve(import.meta.dirname, '..');

const launch = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  });

/** The built Python worker's URL path (its name carries a content hash). */
async function pythonWorkerPath(): Promise<string> {
  const file = (await fs.readdir(path.join(ROOT, 'dist/web/assets'))).find((f) => /^python\.worker-.*\.js$/.test(f));
  if (!file) throw new Error('no python.worker-*.js in dist/web/assets: run "npm run build:web"');
  return `/assets/${file}`;
}

/**
 * In the page: starts the Python worker, times its first run (cold) and `warm` more runs of a
 * trivial skill, speaking the runtime protocol (web/src/runtimes/protocol.ts) directly.
 */
function timePython(page: Page, workerPath: string, warm: number): Promise<{ cold: number; warm: number[] }> {
  // No named functions inside: tsx would wrap them in a `__name` helper the page does not have.
  return page.evaluate(
    async ({ workerPath, warm }) => {
      const skill = { skillId: 'noop', file: 'noop.md', code: 'def execute(inputs):\n    return {"x": inputs["x"] + 1}\n', codeLine: 1, outputs: [{ name: 'x', type: 'number' }] };
      const t0 = performance.now();
      const worker = new Worker(workerPath, { type: 'module' });
      const times: number[] = [];
      let cold = 0;
      for (let id = 1; id <= warm + 1; id++) {
        const t = performance.now();
        await new Promise<void>((resolve, reject) => {
          worker.onmessage = (e: MessageEvent<{ type: string; id: number; message?: string }>) => {
            if (e.data.id !== id) return;
            if (e.data.type === 'done') resolve();
            else if (e.data.type === 'failed') reject(new Error(e.data.message));
          };
          worker.postMessage({ type: 'run', id, skill, inputs: { x: id } });
        });
        if (id === 1) cold = performance.now() - t0;
        else times.push(performance.now() - t);
      }
      worker.terminate();
      return { cold, warm: times };
    },
    { workerPath, warm },
  );
}

async function pyodideStartup(browser: Browser, url: string) {
  const workerPath = await pythonWorkerPath();
  const fromServer: number[] = [];
  const fromCache: number[] = [];
  let warm: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ serviceWorkers: 'allow' });
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    const first = await timePython(page, workerPath, 200);
    fromServer.push(first.cold);
    warm = warm.concat(first.warm.slice(20)); // the first calls warm up the JIT
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    fromCache.push((await timePython(page, workerPath, 0)).cold);
    await context.close();
  }
  return { fromServer, fromCache, warm };
}

async function seedVqe(url: string, id: string): Promise<void> {
  const room = await connectSynced(url, `user/default/workflow/${id}`);
  room.doc.transact(() => {
    writeWorkflowMeta(room.doc, { name: 'VQE', description: '', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z' });
    putNode(room.doc, { id: 'h', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 0 }, inputs: {} });
    putNode(room.doc, { id: 'v', skillId: 'quantum-vqe', label: 'VQE', position: { x: 320, y: 0 }, inputs: {} });
    putNode(room.doc, { id: 'p', skillId: 'plot-convergence', label: 'Plot', position: { x: 640, y: 0 }, inputs: {} });
    putEdge(room.doc, { id: 'e1', source: 'h', sourceHandle: 'hamiltonian', target: 'v', targetHandle: 'hamiltonian' });
    putEdge(room.doc, { id: 'e2', source: 'v', sourceHandle: 'convergence_trace', target: 'p', targetHandle: 'convergence_trace' });
  });
  await new Promise((r) => setTimeout(r, 300));
  room.destroy();
}

/** Clicks Run and waits for the run to finish; returns the run's own duration (its trace). */
async function runOnce(page: Page): Promise<{ wall: number; trace: number; cached: number }> {
  const before = await page.locator('[data-testid="run-summary"]').textContent().catch(() => null);
  const t0 = Date.now();
  await page.locator('[data-testid="run-workflow"]').click();
  await page.waitForFunction(
    (prev) => {
      const text = document.querySelector('[data-testid="run-summary"]')?.textContent ?? '';
      return text !== prev && /^(Done|\d+ failed)/.test(text);
    },
    before,
    { timeout: 120_000, polling: 20 },
  );
  const wall = Date.now() - t0;
  const text = (await page.locator('[data-testid="run-summary"]').textContent()) ?? '';
  if (!text.startsWith('Done')) throw new Error(`the VQE workflow failed: ${text}`);
  const trace = await page.evaluate(
    () =>
      new Promise<{ durationMs: number; cached: number }>((resolve, reject) => {
        const open = indexedDB.open('llmunix-runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('traces').objectStore('traces').getAll();
          all.onsuccess = () => {
            const last = (all.result as Array<{ startedAt: string; durationMs: number; nodes: Array<{ cached: boolean }> }>).sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1)!;
            resolve({ durationMs: last.durationMs, cached: last.nodes.filter((n) => n.cached).length });
          };
        };
      }),
  );
  return { wall, trace: trace.durationMs, cached: trace.cached };
}

async function setBondLength(page: Page, value: number): Promise<void> {
  const field = page.locator('.react-flow__node[data-id="h"] [data-testid="literal-bond_length"]');
  await field.fill(String(value));
  await field.press('Enter');
}

async function vqeWorkflow(browser: Browser, url: string) {
  const first: number[] = [];
  const uncached: number[] = [];
  const cached: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const id = `bench-vqe-${run}`;
    await seedVqe(url, id);
    const context = await browser.newContext({ serviceWorkers: 'allow' });
    const page = await context.newPage();
    await page.goto(`${url}/#/workflow/user/default/${id}`);
    await page.locator('.react-flow__node .run-bar').nth(2).waitFor({ timeout: 30_000 });
    first.push((await runOnce(page)).trace);
    await setBondLength(page, 0.7 + run / 100);
    uncached.push((await runOnce(page)).trace);
    const again = await runOnce(page);
    if (again.cached !== 3) throw new Error(`expected 3 cached nodes, got ${again.cached}`);
    cached.push(again.trace);
    await context.close();
  }
  return { first, uncached, cached };
}

async function main(): Promise<void> {
  await fs.access(path.join(ROOT, 'dist/web/index.html')).catch(() => {
    throw new Error('dist/web is missing: run "npm run build:web" first (npm run bench:pyodide does).');
  });
  const server = await startTestServer({ WEB_DIST: path.join(ROOT, 'dist/web') });
  const browser = await launch();
  try {
    const start = await pyodideStartup(browser, server.url);
    const vqe = await vqeWorkflow(browser, server.url);
    const med = (xs: number[]) => percentile(xs, 50).toFixed(xs === start.warm ? 2 : 0);
    console.log(`\nPython (Pyodide) in headless Chromium, median of ${RUNS} runs (warm call: of ${start.warm.length} calls)\n`);
    console.log(`${'Pyodide cold start → first skill run, files from the server'.padEnd(66)}${med(start.fromServer).padStart(8)} ms`);
    console.log(`${'Pyodide cold start → first skill run, files from the SW cache'.padEnd(66)}${med(start.fromCache).padStart(8)} ms`);
    console.log(`${'warm call (a trivial skill, page → worker → page), p50'.padEnd(66)}${med(start.warm).padStart(8)} ms   p95 ${percentile(start.warm, 95).toFixed(2)} ms`);
    console.log(`\nHamiltonian → VQE → Plot Convergence from the canvas (run trace durations)`);
    console.log(`${'first run: uncached, Pyodide cold'.padEnd(66)}${med(vqe.first).padStart(8)} ms`);
    console.log(`${'uncached, Pyodide warm (new bond length)'.padEnd(66)}${med(vqe.uncached).padStart(8)} ms`);
    console.log(`${'cached (same inputs: 3 nodes from IndexedDB)'.padEnd(66)}${med(vqe.cached).padStart(8)} ms`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
