// The app under its Content Security Policy (sync-server/src/http/security-headers.ts): the page,
// the service worker and every runtime worker — Python (Pyodide), JavaScript, Three.js (WebGL in
// an OffscreenCanvas) and ngspice (WebAssembly) — load and run without one policy violation,
// on the page or in a worker.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, waitFor } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, javascriptSkill, pythonSkill, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();

beforeAll(async () => {
  await addUserSkill(app.server.url, 'csp-python', pythonSkill('csp-python', 'def execute(inputs):\n    import json\n    return {"result": json.loads("[1, 2]")}'));
  await addUserSkill(app.server.url, 'csp-javascript', javascriptSkill('csp-javascript', 'async function execute() {\n  return { result: [1, 2].map((x) => x * 2) };\n}'));
});

/**
 * Makes every `securitypolicyviolation` visible, on the page and in its workers. The page's are
 * recorded by a listener on its document. A worker has no document and Chromium does not log its
 * violations to its console, so each worker script is served with a first line that listens on
 * the worker's global scope and reports through a `console.error` taken before the worker's own
 * code runs (the skill workers capture `console` for skills). The script keeps its response
 * headers, so it runs under its real policy. Requests a service worker answers are not routed:
 * use a context with `serviceWorkers: 'block'`.
 */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
  });
  const reported: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith(WORKER_VIOLATION)) reported.push(message.text());
  });
  await page.route(/\/assets\/[\w-]+\.worker-[\w-]+\.js$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: WORKER_LISTENER + (await response.text()) });
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)), ...reported];
}

const WORKER_VIOLATION = 'policy violation in a worker:';
const WORKER_LISTENER = `{ const report = console.error.bind(console); self.addEventListener('securitypolicyviolation', (e) => report('${WORKER_VIOLATION} ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' (' + e.sourceFile + ':' + e.lineNumber + ')')); }\n`;

it('the page is served with the policy and loads, registers its service worker and opens a canvas without a violation', async () => {
  const { context, page, errors } = await app.newPage();
  const violations = await watchViolations(page);
  const response = await page.goto('/', { waitUntil: 'networkidle' });
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  // The service worker (and the workbox script it imports) is installed and controls the page.
  await waitFor(() => page.evaluate(() => navigator.serviceWorker.controller !== null), 'the service worker to control the page');
  await page.goto('/#/workflow/user/default/csp-canvas');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await dropSkill(page, 'quantum-circuit', { x: 80, y: 60 });
  await waitForNodes(page, 1);
  // React Flow's inline styles, the MiniMap's SVG, the sync WebSocket: all in use by now.
  expect(await page.locator('.react-flow__minimap').count()).toBe(1);
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  expect(await violations()).toEqual([]);
  errors.assertNone();
  await context.close();
});

it('Python, JavaScript, Three.js and ngspice skills run under the policy without a violation', async () => {
  const { context, page, errors } = await app.newPage({ context: { serviceWorkers: 'block' } });
  const violations = await watchViolations(page);
  await page.goto('/#/workflow/user/default/csp-runtimes');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await dropSkill(page, 'csp-python', { x: 80, y: 40 });
  await dropSkill(page, 'csp-javascript', { x: 80, y: 260 });
  await dropSkill(page, 'threejs-cube', { x: 420, y: 40 });
  await dropSkill(page, 'spice-resistor', { x: 420, y: 360 });
  const ids = await waitForNodes(page, 4);
  await page.locator('[data-testid="run-workflow"]').click();
  // A runtime the policy breaks may never finish: say what was blocked rather than only time out.
  const finished = Promise.all(['csp-python', 'csp-javascript', 'threejs-cube', 'spice-resistor'].map((skill) => waitForStatus(page, ids[skill]!, 'done', 45_000)));
  await finished.catch(async (e: Error) => {
    throw new Error(`${e.message}\npolicy violations so far: ${JSON.stringify(await violations(), null, 1)}`);
  });
  expect(await violations()).toEqual([]);
  errors.assertNone();
  await context.close();
});
