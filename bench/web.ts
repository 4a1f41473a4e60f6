/**
 * The PWA in headless Chromium (the built app served by the real server):
 * - cold start to an interactive canvas, online (empty cache) and offline (service worker
 *   cache), against a reference page (a bare HTML file from the same server) in the same run;
 * - the JavaScript loaded before first render (gzip), and that no heavy runtime is among it;
 * - a workflow of 500 nodes and 600 edges: time to first render of all nodes, and frame times
 *   while dragging a node;
 * - a template from the home gallery: from "Use this template" to its result shown (the copy
 *   opened, Run clicked as soon as it can be, every node done and a result on screen), cold (a
 *   fresh profile, its runtimes not loaded) and warm (the same page, the template used again).
 *
 *   npm run bench:web [-- --runs 5] [--trace] [--no-templates]
 *
 * BENCH_WEB_DIST=dir measures another build of the app (an older commit's, to compare).
 *
 * `--trace` instead takes one Chromium performance trace of each (online and offline cold start,
 * the 500-node draw), prints where the time went (bench/lib/chrome-trace.ts) and keeps the traces
 * in the temporary directory (llmunix-trace-*.json, for Chromium's DevTools Performance panel).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { putWorkflowListing } from '../shared/src/documents/volume-index';
import { putEdge, putNode, writeWorkflowMeta } from '../shared/src/documents/workflow';
import { startTestServer } from '../sync-server/test/harness/in-process';
import { connectSynced } from '../sync-server/test/harness/clients';
import { startProfile, startTrace, summariseTrace } from './lib/chrome-trace';
import { percentile } from './lib/proc';

process.setMaxListeners(0);
const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, trace: { type: 'boolean', default: false }, 'no-templates': { type: 'boolean', default: false } },
});
const RUNS = Number(args.runs);
const ROOT = path.resolve(import.meta.dirname, '..');
const HEAVY = /pyodide|three|eecircuit|ngspice/i;
/** A node React Flow has drawn (it hides nodes until it has measured them). */
const SHOWN = '.react-flow__node:not([style*="visibility: hidden"])';

const launch = () =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  });

/** Milliseconds from navigation start until `selector` matches `count` visible elements. */
async function timeTo(page: Page, url: string, selector: string, count = 1): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    ([sel, n]) => document.querySelectorAll(sel as string).length >= (n as number) && (performance.mark('shown'), true),
    [selector, count] as const,
    { polling: 'raf', timeout: 60_000 },
  );
  return page.evaluate(() => performance.now());
}

async function seedWorkflow(url: string, id: string, nodes: number, edges: number): Promise<void> {
  const room = await connectSynced(url, `user/default/workflow/${id}`);
  const skills = ['quantum-hamiltonian', 'quantum-vqe', 'plot-convergence', 'export-results'];
  room.doc.transact(() => {
    writeWorkflowMeta(room.doc, { name: `${nodes} nodes`, description: '', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z' });
    for (let i = 0; i < nodes; i++) {
      putNode(room.doc, { id: `n${i}`, skillId: skills[i % skills.length] as string, label: `node ${i}`, position: { x: (i % 25) * 300, y: Math.floor(i / 25) * 260 }, inputs: {} });
    }
    for (let e = 0; e < edges; e++) {
      const source = e % nodes;
      const target = (source + 1 + (e % 7)) % nodes;
      if (target <= source) continue;
      putEdge(room.doc, { id: `e${e}`, source: `n${source}`, sourceHandle: 'hamiltonian', target: `n${target}`, targetHandle: 'hamiltonian' });
    }
  });
  const index = await connectSynced(url, 'user/default');
  putWorkflowListing(index.doc, id, { name: `${nodes} nodes`, description: '', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z' });
  await new Promise((r) => setTimeout(r, 500));
  room.destroy();
  index.destroy();
}

async function coldStarts(browser: Browser, url: string, dist: string) {
  const online: number[] = [];
  const offline: number[] = [];
  const reference: number[] = [];
  let jsBeforeRender: Array<{ url: string; gzip: number }> = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ serviceWorkers: 'allow' });
    const page = await context.newPage();
    online.push(await timeTo(page, `${url}/#/workflow/user/default/small`, SHOWN, 3));
    if (run === 0) {
      // The scripts whose download finished before the first paint, by the page's own clock.
      const urls = (await page.evaluate(`(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const before = paint ? paint.startTime : performance.now();
        return performance.getEntriesByType('resource')
          .filter((e) => e.name.endsWith('.js') && !e.name.endsWith('/sw.js') && e.responseEnd <= before)
          .map((e) => e.name);
      })()`)) as string[];
      jsBeforeRender = await Promise.all(
        urls.map(async (u) => ({ url: u, gzip: gzipSync(await fs.readFile(path.join(dist, new URL(u).pathname))).length })),
      );
    }
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await context.setOffline(true);
    const again = await context.newPage();
    offline.push(await timeTo(again, `${url}/#/workflow/user/default/small`, SHOWN, 3));
    await context.close();
    // A fresh profile, as for the online cold start (the app's service worker would answer
    // this navigation with the app shell).
    const refContext = await browser.newContext();
    reference.push(await timeTo(await refContext.newPage(), `${url}/reference.html`, '#ready'));
    await refContext.close();
  }
  return { online, offline, reference, jsBeforeRender };
}

/**
 * A fresh profile with the app running at home, as a person opens a workflow from the list: it
 * has settled, its after-paint prefetching (skill parser, file format) done; measuring in the
 * middle of it would time that instead.
 */
async function settledApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/#/`);
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  return page;
}

/** Opens the 500-node workflow in the running app; ms from the navigation until all are drawn (marked 'draw-start' for a trace). */
const drawBig = async (page: Page): Promise<number> =>
  (await page.evaluate(`new Promise((resolve) => {
    performance.mark('draw-start');
    const t0 = performance.now();
    location.hash = '#/workflow/user/default/big';
    const check = () => document.querySelectorAll('${SHOWN}').length >= 500 ? resolve(performance.now() - t0) : requestAnimationFrame(check);
    check();
  })`)) as number;

async function bigWorkflow(browser: Browser, url: string) {
  const firstRender: number[] = [];
  const frames: number[] = [];
  for (let run = 0; run < Math.max(1, Math.ceil(RUNS / 2)); run++) {
    const page = await settledApp(browser, url);
    firstRender.push(await drawBig(page));
    // Drag one node for ~1 s of frames and record every frame's duration.
    const node = page.locator('.react-flow__node[data-id="n0"] .skill-node-title');
    const box = await node.boundingBox();
    if (!box) throw new Error('node n0 not visible');
    // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
    await page.evaluate(`(() => {
      window.__frames = []; window.__on = true; window.__last = performance.now();
      const tick = (t) => { window.__frames.push(t - window.__last); window.__last = t; if (window.__on) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    await page.mouse.move(box.x + 20, box.y + 5);
    await page.mouse.down();
    for (let i = 0; i < 60; i++) await page.mouse.move(box.x + 20 + i * 4, box.y + 5 + i * 2);
    await page.mouse.up();
    frames.push(...((await page.evaluate('window.__on = false, window.__frames.slice(1)')) as number[]));
    await page.context().close();
  }
  return { firstRender, frames };
}

/** Templates timed: the quickest (JavaScript) and the one that loads Python. */
const TIMED_TEMPLATES = ['weather-table-csv', 'h2-vqe'];

/**
 * In the page: clicks a template's "Use this template", then Run once the copy's nodes show their
 * ports, and resolves with the milliseconds until every node is done (or cached) and a result
 * panel shows an output. A string, not a function: tsx would wrap inner functions in a helper
 * the page lacks.
 */
const useAndRun = (template: string) => `new Promise((resolve, reject) => {
  const t0 = performance.now();
  const before = location.hash;
  document.querySelector('[data-testid="templates-gallery"] [data-template="${template}"] [data-testid="use-template"]').click();
  let ran = false;
  const check = () => {
    if (performance.now() - t0 > 120000) return reject(new Error('${template}: no result after 120 s'));
    const nodes = document.querySelectorAll('.react-flow__node').length;
    if (!ran && location.hash !== before && nodes > 0 && document.querySelectorAll('.react-flow__node .run-bar').length === nodes) {
      const run = document.querySelector('[data-testid="run-workflow"]');
      if (run && !run.disabled) { run.click(); ran = true; }
    }
    const finished = document.querySelectorAll('[data-testid="run-status"][data-status="done"], [data-testid="run-status"][data-status="cached"]').length;
    const failed = document.querySelector('[data-testid="run-status"][data-status="error"]');
    if (failed) return reject(new Error('${template}: a node failed: ' + failed.getAttribute('title')));
    if (ran && finished === nodes && document.querySelector('[data-testid="result-panel"] [data-testid="output"]')) return resolve(performance.now() - t0);
    requestAnimationFrame(check);
  };
  check();
})`;

async function templateRuns(browser: Browser, url: string) {
  const times: Record<string, { cold: number[]; warm: number[] }> = {};
  for (const template of TIMED_TEMPLATES) {
    const entry = (times[template] = { cold: [] as number[], warm: [] as number[] });
    for (let run = 0; run < Math.max(1, Math.ceil(RUNS / 2)); run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'allow' });
      const page = await context.newPage();
      const home = async () => {
        await page.goto(`${url}/#/`);
        await page.locator(`[data-testid="templates-gallery"] [data-template="${template}"] [data-testid="use-template"]:not([disabled])`).waitFor();
        // As a person would: the app has settled (after-paint prefetching done) before they choose.
        await page.waitForLoadState('networkidle');
      };
      await home();
      entry.cold.push((await page.evaluate(useAndRun(template))) as number);
      await home();
      entry.warm.push((await page.evaluate(useAndRun(template))) as number);
      await context.close();
    }
  }
  return times;
}

/** One traced run of each measure, summarised (`--trace`). */
async function traces(browser: Browser, url: string): Promise<void> {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  // Marks when the canvas's parts appear, for the trace's timeline.
  await context.addInitScript(`(() => {
    const seen = new Set();
    const mark = (name, ok) => { if (!seen.has(name) && ok) { seen.add(name); performance.mark(name); } };
    new MutationObserver(() => {
      mark('flow in DOM', document.querySelector('.react-flow'));
      mark('first node in DOM', document.querySelector('.react-flow__node'));
      mark('first node visible', document.querySelector('${SHOWN}'));
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
  })()`);
  const page = await context.newPage();
  let trace = await startTrace(browser, page, path.join(os.tmpdir(), 'llmunix-trace-online.json'));
  const online = await timeTo(page, `${url}/#/workflow/user/default/small`, SHOWN, 3);
  console.log(summariseTrace(await trace.stop(), `cold start, online: ${online.toFixed(0)} ms`).join('\n'));
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await context.setOffline(true);
  const again = await context.newPage();
  trace = await startTrace(browser, again, path.join(os.tmpdir(), 'llmunix-trace-offline.json'));
  const offlineProfile = await startProfile(again);
  const offline = await timeTo(again, `${url}/#/workflow/user/default/small`, SHOWN, 3);
  const offlineTop = await offlineProfile.stop(25);
  console.log(summariseTrace(await trace.stop(), `cold start, offline (SW): ${offline.toFixed(0)} ms`).join('\n'));
  console.log(`  JS functions by self time (ms, sampled):\n${offlineTop.join('\n')}`);
  await context.close();

  const app = await settledApp(browser, url);
  trace = await startTrace(browser, app, path.join(os.tmpdir(), 'llmunix-trace-big.json'));
  const profile = await startProfile(app);
  const drawn = await drawBig(app);
  const top = await profile.stop(20);
  console.log(summariseTrace(await trace.stop(), `500-node draw: ${drawn.toFixed(0)} ms`, 'draw-start').join('\n'));
  console.log(`  JS functions by self time (ms, sampled):\n${top.join('\n')}`);
  await app.context().close();
}

async function main(): Promise<void> {
  const built = process.env.BENCH_WEB_DIST ?? path.join(ROOT, 'dist/web');
  await fs.access(path.join(built, 'index.html')).catch(() => {
    throw new Error(`${built} has no index.html: run "npm run build:web" first (npm run bench:web does).`);
  });
  // The reference: the smallest page the same server can serve, timed the same way.
  const dist = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-webbench-'));
  await fs.cp(built, dist, { recursive: true });
  await fs.writeFile(path.join(dist, 'reference.html'), '<!doctype html><title>ref</title><div id="ready">ready</div>');
  const server = await startTestServer({ WEB_DIST: dist });
  const browser = await launch();
  try {
    await seedWorkflow(server.url, 'small', 3, 2);
    await seedWorkflow(server.url, 'big', 500, 600);
    if (args.trace) return await traces(browser, server.url);
    const cold = await coldStarts(browser, server.url, dist);
    const big = await bigWorkflow(browser, server.url);
    const templates = args['no-templates'] ? {} : await templateRuns(browser, server.url);
    const med = (xs: number[]) => percentile(xs, 50);
    const jsTotal = cold.jsBeforeRender.reduce((n, j) => n + j.gzip, 0);
    console.log(`\nPWA in headless Chromium (median of ${RUNS} runs)\n`);
    console.log('measure                                        ms      ratio to reference page');
    const row = (label: string, v: number) => console.log(`${label.padEnd(44)}${v.toFixed(0).padStart(6)}   ×${(v / med(cold.reference)).toFixed(1)}`);
    console.log(`${'reference page (bare HTML, same server)'.padEnd(44)}${med(cold.reference).toFixed(0).padStart(6)}`);
    row('cold start → interactive canvas, online', med(cold.online));
    row('cold start → interactive canvas, offline (SW)', med(cold.offline));
    console.log(`${'open a 500-node, 600-edge workflow → all drawn'.padEnd(44)}${med(big.firstRender).toFixed(0).padStart(6)}   (target < 500)`);
    console.log(`\nJavaScript before first render: ${(jsTotal / 1024).toFixed(1)} KiB gzip (target ≤ 150 KiB)`);
    for (const j of cold.jsBeforeRender) console.log(`  ${(j.gzip / 1024).toFixed(1).padStart(6)} KiB  ${new URL(j.url).pathname}`);
    const heavy = cold.jsBeforeRender.filter((j) => HEAVY.test(j.url));
    console.log(`  heavy runtimes among them: ${heavy.length === 0 ? 'none' : heavy.map((h) => h.url).join(', ')}`);
    console.log('\nA template from the home gallery: "Use this template" → Run → result shown (median ms)');
    for (const [template, t] of Object.entries(templates)) {
      console.log(`  ${template.padEnd(20)} cold (fresh profile) ${med(t.cold).toFixed(0).padStart(6)}   warm (same page, again) ${med(t.warm).toFixed(0).padStart(6)}`);
    }
    console.log(`\nDragging a node in the 500-node workflow: ${big.frames.length} frames, frame time p50 ${percentile(big.frames, 50).toFixed(1)} ms, p95 ${percentile(big.frames, 95).toFixed(1)} ms, max ${Math.max(...big.frames).toFixed(1)} ms`);
  } finally {
    await browser.close();
    await server.close();
    await fs.rm(dist, { recursive: true, force: true });
  }
}

await main();
