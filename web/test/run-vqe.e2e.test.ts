// Running a workflow from the canvas in Chromium, with the real Pyodide and JavaScript runtimes:
// Hamiltonian → VQE → Plot Convergence built by dragging and connecting, run, states, the plot,
// cached re-runs, stale marks after an edit, and a run with no network at all.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OFFLINE_NOISE, useApp, waitFor, type PageErrors } from './harness';
import { connectPorts, dropSkill } from './harness/canvas';
import { assertResultsCoverNoNode, dockFor, nodeById, numberOutput, openResult, statusOf, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();
let context: BrowserContext;
let page: Page;
let errors: PageErrors;
let ids: Record<string, string>;

beforeAll(async () => {
  ({ context, page, errors } = await app.newPage({ ignore: OFFLINE_NOISE, context: { viewport: { width: 1600, height: 1000 } } }));
});
afterAll(async () => {
  await context?.close();
});

it('builds Hamiltonian → VQE → Plot Convergence, runs it: states change, the plot appears, VQE finds −1.137 Ha', async () => {
  await page.goto('/#/workflow/user/default/run-vqe');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  // The service worker must control the page for Pyodide's files to be cached as they load.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await dropSkill(page, 'quantum-hamiltonian', { x: 60, y: 60 });
  await dropSkill(page, 'quantum-vqe', { x: 420, y: 60 });
  await dropSkill(page, 'plot-convergence', { x: 780, y: 60 });
  ids = await waitForNodes(page, 3);
  const [ham, vqe, plot] = [ids['quantum-hamiltonian']!, ids['quantum-vqe']!, ids['plot-convergence']!];
  await connectPorts(page, { node: ham, output: 'hamiltonian' }, { node: vqe, input: 'hamiltonian' });
  await connectPorts(page, { node: vqe, output: 'convergence_trace' }, { node: plot, input: 'convergence_trace' });
  await connectPorts(page, { node: ham, output: 'exact_energy' }, { node: plot, input: 'reference' });
  await waitFor(async () => (await page.locator('.react-flow__edge').count()) === 3, 'three edges');

  await page.locator('[data-testid="run-workflow"]').click();
  // Python loads on first use (or has been loading since the workflow showed Python nodes), so
  // the Hamiltonian node is seen loading Python or running before it is done.
  await nodeById(page, ham).locator('[data-testid="run-status"][data-status="loading"], [data-testid="run-status"][data-status="running"]').waitFor({ timeout: 20_000 });
  await waitForStatus(page, vqe, 'done');
  await waitForStatus(page, plot, 'done');
  expect(await statusOf(page, ham)).toBe('done');
  await expect(nodeById(page, vqe).locator('[data-testid="run-status"]').textContent()).resolves.toMatch(/^done \d/);

  // With nothing selected, the dock shows the node that finished last: the SVG drawn as an
  // image, and the chart, beside the canvas and over no node.
  const plotPanel = dockFor(page, plot).locator('[data-testid="result-panel"]');
  await expect(dockFor(page, plot).locator('[data-testid="results-dock-name"]').textContent()).resolves.toBe('Plot Convergence');
  const svg = plotPanel.locator('[data-testid="output-svg"]');
  await svg.waitFor();
  expect(await svg.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
  await waitFor(() => svg.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth === 640), 'the SVG to load');
  await plotPanel.locator('[data-output="chart"] [data-testid="line-plot"] canvas').waitFor();
  await assertResultsCoverNoNode(page);
  await expect(page.locator('[data-testid="run-summary"]').textContent()).resolves.toMatch(/^Done in/);

  const vqePanel = await openResult(page, vqe);
  const eigenvalue = await numberOutput(vqePanel, 'eigenvalue');
  console.info('VQE eigenvalue in the browser:', eigenvalue);
  expect(Math.abs(eigenvalue - -1.137)).toBeLessThan(1e-3);
  await assertResultsCoverNoNode(page);

  // Every run leaves a trace in IndexedDB.
  const traces = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('llmunix-runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('traces').objectStore('traces').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
  expect(traces).toBe(1);
  // Pyodide's files went into the service worker's runtime cache as they loaded.
  const cached = await page.evaluate(async () => (await (await caches.open('llmunix-pyodide')).keys()).map((r) => new URL(r.url).pathname));
  expect(cached.map((p) => p.split('/').pop()).sort()).toEqual(['pyodide-lock.json', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'pyodide.mjs', 'python_stdlib.zip']);
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/run-vqe.png` });
});

it('runs again from the cache, and marks what is downstream of an edit stale', async () => {
  const [ham, vqe, plot] = [ids['quantum-hamiltonian']!, ids['quantum-vqe']!, ids['plot-convergence']!];
  await page.locator('[data-testid="run-workflow"]').click();
  await waitFor(async () => (await page.locator('[data-testid="run-summary"]').textContent())?.includes('3 reused') ?? false, 'a run from the cache');
  for (const id of [ham, vqe, plot]) expect(await statusOf(page, id)).toBe('cached');
  await expect(nodeById(page, ham).locator('[data-testid="run-status"]').textContent()).resolves.toBe('reused earlier result');

  // Editing the VQE's literal makes it and the plot out of date (their one state), not the Hamiltonian.
  const field = nodeById(page, vqe).locator('[data-testid="literal-max_iterations"]');
  await field.fill('200');
  await field.press('Enter');
  await waitForStatus(page, plot, 'stale', 5000);
  await waitForStatus(page, vqe, 'stale', 5000);
  await expect(nodeById(page, vqe).locator('[data-testid="run-status"]').textContent()).resolves.toBe('out of date');
  expect(await statusOf(page, ham)).toBe('cached');
  // Putting it back makes them current again: staleness compares content, not edit history.
  await field.fill('');
  await field.press('Enter');
  await waitFor(async () => (await page.locator('[data-testid="run-status"][data-status="stale"]').count()) === 0, 'no out-of-date nodes');
});

it('offline, after a reload, runs Python again from the service worker’s cache', async () => {
  const [ham, vqe, plot] = [ids['quantum-hamiltonian']!, ids['quantum-vqe']!, ids['plot-convergence']!];
  await context.setOffline(true);
  await page.reload();
  await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
  await waitForNodes(page, 3);
  // A new bond length, so Python really runs (a fresh worker, Pyodide from the cache).
  const field = nodeById(page, ham).locator('[data-testid="literal-bond_length"]');
  await field.fill('0.74');
  await field.press('Enter');
  await waitForStatus(page, vqe, 'stale', 5000);
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, ham, 'done');
  await waitForStatus(page, vqe, 'done');
  await waitForStatus(page, plot, 'done');
  const eigenvalue = await numberOutput(await openResult(page, vqe), 'eigenvalue');
  // H2 at 0.74 Å lies a little above the 0.735 Å minimum (−1.13731 Ha).
  expect(eigenvalue).toBeGreaterThan(-1.1374);
  expect(eigenvalue).toBeLessThan(-1.13);
  await context.setOffline(false);
  errors.assertNone();
});
