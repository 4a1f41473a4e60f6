// The example workflows a new person starts from: a fresh profile sees the template gallery on the
// home and in the empty workflows list, uses a template (a copy in their own volume, opened), runs
// it with one click and sees its result, which covers no other node; and the same works with the
// server stopped once the service worker has installed the app.
import fs from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { listWorkflows } from '../../shared/src/documents/volume-index';
import { OFFLINE_NOISE, startAppServer, useApp, waitFor, type AppPage } from './harness';
import { nodeById, openResult, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();
const VIEWPORT = { width: 1600, height: 1000 };
/** Every template in skills/templates, by id. */
const TEMPLATES = ['bell-state', 'diode-iv-sweep', 'gpu-nbody-points', 'h2-vqe', 'spinning-cube', 'weather-table-csv'];
const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};

let port: number | undefined;
afterAll(async () => {
  // The offline test stopped the server; the file's end closes the one started after it.
  if (port !== undefined) app.server = await startAppServer({ PORT: String(port) }).catch(() => app.server);
});

/** Clicks "Use this template" on a card of the home's gallery; resolves to the new workflow's id. */
async function useTemplate(page: Page, id: string): Promise<string> {
  const before = await page.evaluate(() => location.hash);
  await page.locator(`[data-testid="templates-gallery"] [data-testid="template-card"][data-template="${id}"] [data-testid="use-template"]`).click();
  await waitFor(async () => {
    const hash = await page.evaluate(() => location.hash);
    return hash !== before && hash.startsWith('#/workflow/user/default/');
  }, `the copy of ${id} to open`);
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  return page.evaluate(() => location.hash.split('/').pop() ?? '');
}

/** Every result panel that overlaps a node other than its own: "panel of X covers Y". */
function coveredNodes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const nodes = [...document.querySelectorAll('[data-testid="skill-node"]')];
    const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const name = (el: Element | null) => el?.closest('.react-flow__node')?.getAttribute('data-id') ?? 'no node';
    return [...document.querySelectorAll('[data-testid="result-panel"]')].flatMap((panel) => {
      const own = panel.closest('[data-testid="skill-node"]');
      const box = panel.getBoundingClientRect();
      return nodes.filter((n) => n !== own && overlap(box, n.getBoundingClientRect())).map((n) => `panel of ${name(own)} covers ${name(n)}`);
    });
  });
}

/** Ends a test: a screenshot, no result panel covering another node, no page errors. */
async function finish({ context, page, errors }: AppPage, screenshot: string): Promise<void> {
  await shot(page, screenshot);
  expect(await coveredNodes(page)).toEqual([]);
  errors.assertNone();
  await context.close();
}

/** Waits for an SVG output's picture (640 px wide, as the plotting skills draw it) to load. */
const svgLoaded = (img: Locator, what: string) =>
  waitFor(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 640), what);

/** Runs the open workflow and waits for every node to be done. */
async function runAll(page: Page, nodeIds: string[]): Promise<void> {
  await page.locator('[data-testid="run-workflow"]').click();
  for (const id of nodeIds) await waitForStatus(page, id, 'done', 90_000);
}

/** Uses a template from the home gallery and runs the copy until its `count` nodes are done; their ids by skill. */
async function useAndRun(page: Page, template: string, count: number): Promise<Record<string, string>> {
  await useTemplate(page, template);
  const ids = await waitForNodes(page, count);
  await runAll(page, Object.values(ids));
  return ids;
}

/** The data pipeline's result: the summary as a table of four cities, warmest first, and its CSV. */
async function expectPipelineResult(page: Page, ids: Record<string, string>): Promise<void> {
  const summary = await openResult(page, ids['table-group-summary']!);
  const table = summary.locator('[data-output="summary"][data-kind="table"] table');
  await table.waitFor();
  expect(await table.locator('thead th').allTextContents()).toEqual(['city', 'count', 'mean', 'min', 'max', 'std', 'total']);
  const cities = await table.locator('tbody tr td:first-child').allTextContents();
  expect(cities).toHaveLength(4);
  expect(cities[0]).toBe('Singapore');
  expect(cities.at(-1)).toBe('Oslo');
  const csv = await openResult(page, ids['export-results']!);
  await expect(csv.locator('[data-output="content"]').textContent()).resolves.toContain('city,count,mean,min,max,std,total');
  await expect(csv.locator('[data-output="filename"]').textContent()).resolves.toContain('temperature-per-city.csv');
  // The CSV is a file to take away, not only text on screen.
  const [download] = await Promise.all([page.waitForEvent('download'), csv.locator('[data-testid="download-output"]').click()]);
  expect(download.suggestedFilename()).toBe('temperature-per-city.csv');
  const saved = await download.path();
  expect((await fs.readFile(saved, 'utf8')).split('\r\n')[0]).toBe('city,count,mean,min,max,std,total');
}

it('a fresh profile sees the templates, uses the data pipeline, runs it and sees its table and CSV, covering no other node', async () => {
  const opened = await app.openPage('/', { context: { viewport: VIEWPORT } });
  const { page } = opened;
  const gallery = page.locator('[data-testid="templates-gallery"] [data-testid="template-card"]');
  await waitFor(async () => (await gallery.count()) === TEMPLATES.length, 'the home gallery');
  expect(await gallery.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-template')))).toEqual(TEMPLATES);
  // Each card: a name, a one-line description and the runtimes its nodes run in.
  for (const card of await gallery.all()) {
    expect((await card.locator('.template-name').textContent())?.trim()).not.toBe('');
    expect((await card.locator('[data-testid="template-description"]').textContent())?.trim()).not.toBe('');
  }
  const runtimes = (id: string) => page.locator(`[data-testid="templates-gallery"] [data-template="${id}"] [data-testid="template-runtime"]`);
  await waitFor(async () => (await runtimes('spinning-cube').allTextContents()).join() === 'Three.js', 'the runtimes, once the system skills are there');
  expect(await runtimes('h2-vqe').allTextContents()).toEqual(['Python', 'JavaScript']);
  expect(await runtimes('diode-iv-sweep').allTextContents()).toEqual(['ngspice']);
  expect(await runtimes('weather-table-csv').allTextContents()).toEqual(['JavaScript']);
  // The empty workflows list offers them too.
  await page.locator('[data-testid="workflows-empty"]').waitFor();
  expect(await page.locator('[data-testid="templates-list"] [data-testid="template-card"]').count()).toBe(TEMPLATES.length);
  await shot(page, 'templates-home');

  const workflowId = await useTemplate(page, 'weather-table-csv');
  // A copy in the person's own volume, listed under its template's name.
  await page.locator('[data-testid="workflow-item"]').filter({ hasText: 'Data pipeline: table and CSV' }).waitFor();
  const index = await app.connect('user/default');
  await waitFor(() => listWorkflows(index.doc).some((l) => l.id === workflowId), 'the copy on the server');
  const ids = await waitForNodes(page, 3);
  expect(Object.keys(ids).sort()).toEqual(['export-results', 'sample-weather-data', 'table-group-summary']);
  await waitFor(async () => (await page.locator('.react-flow__edge').count()) === 2, 'the template’s two edges');

  await runAll(page, Object.values(ids));
  await expectPipelineResult(page, ids);
  await openResult(page, ids['sample-weather-data']!);
  await finish(opened, 'templates-pipeline-result');
});

it('uses the VQE template: the Hamiltonian, the VQE and the convergence plot, the result covering no other node', async () => {
  const opened = await app.openPage('/', { context: { viewport: VIEWPORT } });
  const ids = await useAndRun(opened.page, 'h2-vqe', 3);
  const { page } = opened;
  const vqe = await openResult(page, ids['quantum-vqe']!);
  const eigenvalue = Number(await vqe.locator('[data-output="eigenvalue"] [data-testid="output-number"]').textContent());
  expect(Math.abs(eigenvalue - -1.137306)).toBeLessThan(1e-3);
  const plot = await openResult(page, ids['plot-convergence']!);
  await svgLoaded(plot.locator('[data-output="svg"] [data-testid="output-svg"]'), 'the convergence plot');
  await openResult(page, ids['quantum-hamiltonian']!);
  await finish(opened, 'templates-vqe-result');
});

it('uses the ngspice and Bell-state templates: the diode sweep drawn as a curve, the Bell measurements as bars', async () => {
  const opened = await app.openPage('/', { context: { viewport: VIEWPORT } });
  const { page } = opened;
  const sweep = (await useAndRun(page, 'diode-iv-sweep', 1))['spice-diode-iv']!;
  const sweepPanel = await openResult(page, sweep);
  await sweepPanel.locator('[data-testid="circuit-plot"] [data-testid="line-plot"] canvas').waitFor();
  // Drawn against the swept voltage, the diode's current on an axis labelled as a current.
  await expect(sweepPanel.locator('[data-testid="circuit-plot"]').getAttribute('data-x-label')).resolves.toBe('sweep (V)');
  await expect(sweepPanel.locator('[data-testid="circuit-plot"]').getAttribute('data-y-label')).resolves.toBe('current (A)');
  await shot(page, 'templates-diode-sweep');
  expect(await coveredNodes(page)).toEqual([]);

  await page.goto('/#/');
  const ids = await useAndRun(page, 'bell-state', 2);
  const chart = (await openResult(page, ids['plot-bars']!)).locator('[data-output="svg"] [data-testid="output-svg"]');
  await svgLoaded(chart, 'the bar chart');
  expect(decodeURIComponent((await chart.getAttribute('src')) ?? '')).toContain('Bell state: measurement probabilities');
  await expect((await openResult(page, ids['plot-bars']!)).locator('[data-output="top_label"]').textContent()).resolves.toContain('00');
  await openResult(page, ids['quantum-circuit']!);
  await finish(opened, 'templates-bell-state');
});

/** The share of a screenshot's pixels that are warm (red well above blue): the amber cube, not the blue default knot. */
function warmShare(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (base64) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
    const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    let warm = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > data[i + 2]! + 60) warm++;
    return warm / (data.length / 4);
  }, png.toString('base64'));
}

it('EXEC-12: uses the Three.js template: the animation node spins the amber cube the cube node built', async () => {
  const opened = await app.openPage('/', { context: { viewport: VIEWPORT } });
  const { page } = opened;
  const ids = await useAndRun(page, 'spinning-cube', 2);
  const panel = await openResult(page, ids['threejs-animation']!);
  const viewport = panel.locator('[data-testid="three-viewport"] canvas');
  await viewport.waitFor();
  const first = await viewport.screenshot();
  const share = await warmShare(page, first);
  console.info(`the cube covers ${(share * 100).toFixed(1)}% of the animation's viewport`);
  expect(share).toBeGreaterThan(0.03);
  // It turns: a later frame differs.
  await page.waitForTimeout(500);
  expect((await viewport.screenshot()).equals(first)).toBe(false);
  await expect(panel.locator('[data-output="animated_objects"] [data-testid="output-number"]').textContent()).resolves.toBe('1');
  // The scene the cube passed on reads as one line, not its JSON.
  const cube = await openResult(page, ids['threejs-cube']!);
  await expect(cube.locator('[data-output="scene"]').textContent()).resolves.toMatch(/A three\.js scene of \d+ objects? \(.*Mesh.*\), passed on/);
  await finish(opened, 'templates-spinning-cube');
});

it('uses the GPU N-body template: the bodies (its fallback here, without WebGPU, and the node says so) drawn as a point cloud', async () => {
  const opened = await app.openPage('/', { context: { viewport: VIEWPORT } });
  const { page } = opened;
  const ids = await useAndRun(page, 'gpu-nbody-points', 2);
  await expect(nodeById(page, ids['gpu-nbody']!).locator('[data-testid="run-device"]').getAttribute('data-device')).resolves.toBe('cpu');
  const panel = await openResult(page, ids['threejs-points']!);
  await expect(panel.locator('[data-output="point_count"] [data-testid="output-number"]').textContent()).resolves.toBe('512');
  const viewport = panel.locator('[data-testid="three-viewport"] canvas');
  await viewport.waitFor();
  const share = await warmShare(page, await viewport.screenshot());
  console.info(`the amber points cover ${(share * 100).toFixed(2)}% of the point cloud's viewport`);
  expect(share).toBeGreaterThan(0.001);
  await finish(opened, 'templates-gpu-nbody-points');
});

it('uses and runs a template with the server stopped, once the service worker has installed the app', async () => {
  const opened = await app.openPage('/', { context: { viewport: VIEWPORT }, ignore: [...OFFLINE_NOISE, /net::ERR_CONNECTION_REFUSED/] });
  const { page } = opened;
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Let the system volume reach this browser's copy, as any first visit does.
  await page.locator('[data-testid="templates-gallery"] [data-template="weather-table-csv"] [data-testid="template-runtime"]').waitFor();

  port = app.server.port;
  await app.server.close();
  await page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor({ timeout: 15_000 });
  // A restart of the app with no server: the service worker serves it, templates included.
  await page.reload();
  await page.locator('[data-testid="templates-gallery"] [data-template="weather-table-csv"]').waitFor();
  const ids = await useAndRun(page, 'weather-table-csv', 3);
  await expectPipelineResult(page, ids);
  expect(await nodeById(page, ids['export-results']!).locator('[data-testid="run-status"]').getAttribute('data-status')).toBe('done');
  await finish(opened, 'templates-offline');
});
